package dev.gatehouse.identity;

import com.nulabinc.zxcvbn.Zxcvbn;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * What a new password must be: 10 to 256 characters, a zxcvbn strength score of at least 3 given
 * the user's own details, and not in the shipped list of breached passwords (checked offline).
 */
@Component
class PasswordPolicy {

    static final int MIN_LENGTH = 10;
    static final int MAX_LENGTH = 256;
    static final int MIN_SCORE = 3;

    private final Zxcvbn zxcvbn = new Zxcvbn();
    private final Set<String> breached;

    PasswordPolicy() {
        this.breached = load("/identity/breached-passwords.txt");
    }

    /** Throws a 422 problem naming the rule the password breaks. */
    void check(String password, String email, String name) {
        int length = password.codePointCount(0, password.length());
        if (length < MIN_LENGTH) {
            throw IdentityFailures.weakPassword(
                    "password_too_short", "The password must have at least " + MIN_LENGTH + " characters.");
        }
        if (length > MAX_LENGTH) {
            throw IdentityFailures.weakPassword(
                    "password_too_long", "The password must have at most " + MAX_LENGTH + " characters.");
        }
        if (breached.contains(password.toLowerCase(Locale.ROOT))) {
            throw IdentityFailures.weakPassword(
                    "password_breached", "This password appears in lists of breached passwords; choose another.");
        }
        List<String> userInputs = List.of(email, email.substring(0, Math.max(0, email.indexOf('@'))), name);
        if (zxcvbn.measure(password, userInputs).getScore() < MIN_SCORE) {
            throw IdentityFailures.weakPassword(
                    "password_too_weak",
                    "The password is too easy to guess; use a longer passphrase or mix unrelated words.");
        }
    }

    static Set<String> load(String resource) {
        Set<String> lines = new HashSet<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                Objects.requireNonNull(PasswordPolicy.class.getResourceAsStream(resource), resource),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                String entry = line.trim();
                if (!entry.isEmpty() && !entry.startsWith("#")) lines.add(entry.toLowerCase(Locale.ROOT));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return lines;
    }
}
