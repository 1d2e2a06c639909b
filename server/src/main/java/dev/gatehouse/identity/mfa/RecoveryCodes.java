package dev.gatehouse.identity.mfa;

import static dev.gatehouse.platform.Timestamps.utc;

import dev.gatehouse.platform.OpaqueTokens;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Single-use recovery codes: ten per user, each ten random base32 characters ({@code xxxxx-xxxxx},
 * 50 bits), shown once and stored only as SHA-256 of the user id and the code.
 *
 * <p>A fast hash is enough here, unlike for passwords: the codes are random, not chosen by people, so
 * there is no dictionary to try; guessing online is bounded by the attempt limits; and a stolen table
 * costs about 2^49 hashes per user to invert (the user id salts each set), after which the attacker
 * still needs the password, which Argon2id protects. A slow hash would instead cost ten Argon2 runs per
 * sign-in with a code, since a salted slow hash cannot be looked up. Not keying the hash with the
 * master key is deliberate: recovery codes are how users get back in when the master key (and with it
 * the sealed TOTP secrets) is lost.
 */
@Repository
public class RecoveryCodes {

    static final int COUNT = 10;
    private static final int LENGTH = 10;

    private final JdbcClient db;

    RecoveryCodes(JdbcClient db) {
        this.db = db;
    }

    /** Deletes the user's codes and stores a fresh set; returns the codes in clear, for showing once. */
    public List<String> replace(UUID userId, Instant now) {
        deleteAll(userId);
        Set<String> codes = new LinkedHashSet<>();
        while (codes.size() < COUNT) codes.add(newCode());
        List<String> shown = new ArrayList<>();
        for (String code : codes) {
            db.sql("insert into recovery_codes (user_id, code_hash, created_at) values (:user, :hash, :now)")
                    .param("user", userId)
                    .param("hash", hash(userId, code))
                    .param("now", utc(now))
                    .update();
            shown.add(code.substring(0, 5) + "-" + code.substring(5));
        }
        return shown;
    }

    /** Uses a code if it is one of the user's unused ones: one atomic update, so it works at most once. */
    public boolean use(UUID userId, String presented, Instant now) {
        String code = canonical(presented);
        if (code.length() != LENGTH) return false;
        return db.sql("""
                        update recovery_codes set used_at = :now
                        where user_id = :user and code_hash = :hash and used_at is null
                        """)
                        .param("user", userId)
                        .param("hash", hash(userId, code))
                        .param("now", utc(now))
                        .update()
                > 0;
    }

    int remaining(UUID userId) {
        return db.sql("select count(*) from recovery_codes where user_id = :user and used_at is null")
                .param("user", userId)
                .query(Integer.class)
                .single();
    }

    public void deleteAll(UUID userId) {
        db.sql("delete from recovery_codes where user_id = :user")
                .param("user", userId)
                .update();
    }

    /** What people type: any case, with or without the dash or spaces. */
    private static String canonical(String presented) {
        return presented.replace("-", "").replace(" ", "").strip().toLowerCase(Locale.ROOT);
    }

    private static String newCode() {
        // 7 random bytes are 56 bits; the first ten base32 characters carry 50 of them.
        return Base32.encode(OpaqueTokens.randomBytes(7)).substring(0, LENGTH).toLowerCase(Locale.ROOT);
    }

    private static byte[] hash(UUID userId, String canonicalCode) {
        return OpaqueTokens.sha256("gatehouse/recovery-code/" + userId + "/" + canonicalCode);
    }
}
