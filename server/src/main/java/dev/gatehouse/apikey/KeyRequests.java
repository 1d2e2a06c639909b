package dev.gatehouse.apikey;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashSet;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** The request bodies of the key routes, and the checks that need more than an annotation. */
final class KeyRequests {

    private KeyRequests() {}

    /** A name is 1–100 characters with at least one that is not a space, and no control characters. */
    static final String NAME = "[^\\p{Cntrl}]*[^\\p{Cntrl}\\s][^\\p{Cntrl}]*";

    static final String NAME_MESSAGE = "must not be blank or contain control characters";

    /** A scope: lowercase words joined by colons, such as {@code read} or {@code usage:write}. */
    static final String SCOPE = "[a-z][a-z0-9_]*(:[a-z][a-z0-9_]*)*";

    static final String SCOPE_MESSAGE = "must be lowercase words joined by colons, such as read or usage:write";

    static final int MAX_SCOPES = 20;

    /** Seven days: the longest a rotated service key's previous secret keeps working. */
    static final long MAX_OVERLAP_SECONDS = 7 * 24 * 3600;

    /** One day: how long the previous secret keeps working when the rotation does not say. */
    static final long DEFAULT_OVERLAP_SECONDS = 24 * 3600;

    /** The last instant RFC 3339 can write with a four-digit year; PostgreSQL could store more, clients not. */
    static final Instant LATEST_EXPIRY =
            LocalDate.of(9999, 12, 31).atTime(23, 59, 59).toInstant(ZoneOffset.UTC);

    /**
     * A new key (org or service).
     *
     * @param scopes what the key may do, for the product to enforce; none when absent
     * @param expiresAt when the key stops working; never when absent
     */
    record NewKey(
            @NotNull @Size(min = 1, max = 100) @Pattern(regexp = NAME, message = NAME_MESSAGE)
            String name,

            @Nullable @Size(max = MAX_SCOPES)
            List<@NotNull @Size(max = 100) @Pattern(regexp = SCOPE, message = SCOPE_MESSAGE) String> scopes,

            @Nullable Instant expiresAt) {

        /** The scopes as given, or none; a scope given twice is refused rather than silently merged. */
        List<String> scopeList() {
            if (scopes == null) return List.of();
            if (new LinkedHashSet<>(scopes).size() != scopes.size()) {
                throw KeyFailures.invalidField("scopes", "must not repeat a scope");
            }
            return List.copyOf(scopes);
        }

        /** The expiry, which must lie in the future (judged by the server's clock, not the client's). */
        @Nullable
        Instant expiry(Instant now) {
            if (expiresAt == null) return null;
            if (!expiresAt.isAfter(now)) throw KeyFailures.invalidField("expires_at", "must be in the future");
            if (expiresAt.isAfter(LATEST_EXPIRY)) {
                throw KeyFailures.invalidField("expires_at", "must be no later than " + LATEST_EXPIRY);
            }
            // PostgreSQL keeps microseconds; the answer should show what is stored.
            return expiresAt.truncatedTo(java.time.temporal.ChronoUnit.MICROS);
        }
    }

    /** A service key rotation; the body is optional. */
    record Rotation(
            @Nullable @Min(0) @Max(MAX_OVERLAP_SECONDS) Long overlapSeconds) {

        long overlap() {
            return overlapSeconds == null ? DEFAULT_OVERLAP_SECONDS : overlapSeconds;
        }
    }

    /** The longest {@code key} verification accepts; longer strings are refused as bad input, not looked at. */
    static final int MAX_VERIFY_KEY = 512;

    /**
     * The body of {@code POST /api/v1/keys/verify}. Checked by hand rather than by Bean Validation: this is the
     * hot path, and two checks do not need a validator's machinery (nor its allocations) on every request. The
     * problems are the same as the annotations would give.
     */
    record VerifyRequest(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, maxLength = MAX_VERIFY_KEY, example = "gh_pk_...")
            @Nullable
            String key) {

        String checkedKey() {
            if (key == null) throw KeyFailures.invalidField("key", "must not be null");
            if (key.length() > MAX_VERIFY_KEY) {
                throw KeyFailures.invalidField("key", "size must be between 0 and " + MAX_VERIFY_KEY);
            }
            return key;
        }
    }
}
