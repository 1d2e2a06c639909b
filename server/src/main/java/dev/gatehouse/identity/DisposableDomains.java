package dev.gatehouse.identity;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * Domains of throw-away mailboxes, refused at registration. A shipped list, plus an optional file
 * ({@code gatehouse.auth.extra-disposable-domains-file}) an operator can update without a release.
 */
@Component
class DisposableDomains {

    private final Set<String> domains;

    DisposableDomains(AuthSettings settings) {
        Set<String> all = new HashSet<>(PasswordPolicy.load("/identity/disposable-domains.txt"));
        if (settings.extraDisposableDomainsFile() != null) {
            try {
                Files.readAllLines(Path.of(settings.extraDisposableDomainsFile())).stream()
                        .map(l -> l.trim().toLowerCase(Locale.ROOT))
                        .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                        .forEach(all::add);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read gatehouse.auth.extra-disposable-domains-file", e);
            }
        }
        this.domains = Set.copyOf(all);
    }

    /** True for a listed domain or any subdomain of one. */
    boolean contains(EmailAddress email) {
        String domain = email.domain();
        while (true) {
            if (domains.contains(domain)) return true;
            int dot = domain.indexOf('.');
            if (dot < 0) return false;
            domain = domain.substring(dot + 1);
        }
    }
}
