package dev.gatehouse.identity;

import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Sign-in settings ({@code gatehouse.auth.*}).
 *
 * @param issuer the JWT {@code iss}; defaults to the public URL
 * @param audience the JWT {@code aud} the product's backend checks
 * @param accessTokenTtl lifetime of access JWTs
 * @param refreshTokenTtl idle lifetime of a refresh token (renewed on each rotation)
 * @param sessionMaxLifetime absolute lifetime of a session, whatever the refreshes
 * @param refreshReuseGrace how long a just-rotated refresh token still yields its successor, for
 *     clients that refresh concurrently; outside it a reuse revokes the family
 * @param verifyEmailTtl lifetime of an email verification link
 * @param passwordResetTtl lifetime of a password reset link
 * @param signingKeyRotation age after which a new signing key is generated
 * @param signingKeyPublishAhead how long a new key is published in the JWKS before it signs
 * @param impersonationTtl lifetime of an admin's impersonation token (at most {@code accessTokenTtl})
 * @param throttle brute-force protection limits
 * @param argon2 password hashing cost
 * @param extraDisposableDomainsFile optional file of more disposable domains, one per line
 * @param stepUpMaxAge how long after a session last proved its user (sign-in or step-up) sensitive
 *     actions are allowed without proving again
 * @param mfa two-factor sign-in settings
 * @param purge pruning of rotated refresh tokens and ended sessions ({@link RefreshTokenPurge})
 */
@ConfigurationProperties("gatehouse.auth")
record AuthSettings(
        @Nullable String issuer,
        @DefaultValue("gatehouse") String audience,
        @DefaultValue("10m") Duration accessTokenTtl,
        @DefaultValue("30d") Duration refreshTokenTtl,
        @DefaultValue("90d") Duration sessionMaxLifetime,
        @DefaultValue("10s") Duration refreshReuseGrace,
        @DefaultValue("24h") Duration verifyEmailTtl,
        @DefaultValue("30m") Duration passwordResetTtl,
        @DefaultValue("30d") Duration signingKeyRotation,
        @DefaultValue("1h") Duration signingKeyPublishAhead,
        @DefaultValue("5m") Duration impersonationTtl,
        @DefaultValue Throttle throttle,
        @DefaultValue Argon2 argon2,
        @Nullable String extraDisposableDomainsFile,
        @DefaultValue("10m") Duration stepUpMaxAge,
        @DefaultValue Mfa mfa,
        @DefaultValue Purge purge) {

    AuthSettings {
        // Verification refuses any access token living longer than access-token-ttl (see AccessTokens).
        if (impersonationTtl.compareTo(accessTokenTtl) > 0) {
            throw new IllegalArgumentException("gatehouse.auth.impersonation-ttl must not exceed access-token-ttl");
        }
    }

    /**
     * Brute-force protection. Failures inside {@code window} beyond a limit lock the subject until the
     * window ends, and for at least {@code lockout}, doubling per further lockout up to {@code maxLockout}.
     *
     * @param loginPerAccount failed sign-ins per account (email) per window
     * @param loginPerIp failed sign-ins per client IP per window
     * @param registerPerIp registrations per client IP per window
     * @param exemptIps client IPs without per-IP limits (e.g. the product's own backend); accounts stay limited
     */
    record Throttle(
            @DefaultValue("10") int loginPerAccount,
            @DefaultValue("100") int loginPerIp,
            @DefaultValue("5") int registerPerIp,
            @DefaultValue("1h") Duration window,
            @DefaultValue("15m") Duration lockout,
            @DefaultValue("24h") Duration maxLockout,
            @DefaultValue List<String> exemptIps) {}

    /**
     * Argon2id cost. The defaults are one of OWASP's recommended settings (m=7 MiB, t=5, p=1).
     *
     * @param memoryKib memory per hash in KiB
     * @param iterations passes over the memory
     * @param parallelism lanes
     * @param maxConcurrent hashes computed at once; 0 = one per available core
     */
    record Argon2(
            @DefaultValue("7168") int memoryKib,
            @DefaultValue("5") int iterations,
            @DefaultValue("1") int parallelism,
            @DefaultValue("0") int maxConcurrent) {}

    /**
     * Two-factor sign-in.
     *
     * @param issuer the name authenticator apps show next to the account (otpauth {@code issuer})
     * @param challengeTtl lifetime of the {@code mfa_token} a password login hands out
     * @param maxAttempts wrong codes one {@code mfa_token} (or one session's step-up) may take before it is
     *     spent (or the session ended)
     */
    record Mfa(
            @DefaultValue("Gatehouse") String issuer,
            @DefaultValue("5m") Duration challengeTtl,
            @DefaultValue("5") int maxAttempts) {

        Mfa {
            // The otpauth label is "issuer:account"; a colon in the issuer would make apps misread it.
            if (issuer.isBlank() || issuer.contains(":")) {
                throw new IllegalArgumentException("gatehouse.auth.mfa.issuer must be non-blank and without ':'");
            }
            if (maxAttempts < 1) throw new IllegalArgumentException("gatehouse.auth.mfa.max-attempts must be >= 1");
        }
    }

    /**
     * Pruning of sign-in data that can no longer matter (see {@link RefreshTokenPurge} for what is kept).
     *
     * @param interval the pause between the end of one purge run and the start of the next
     * @param sessionRetention how long an ended session (revoked, or past its absolute lifetime) stays in
     *     the user's session history before it is deleted with its last tokens
     */
    record Purge(
            @DefaultValue("15m") Duration interval,
            @DefaultValue("30d") Duration sessionRetention) {

        Purge {
            if (interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("gatehouse.auth.purge.interval must be positive");
            }
            if (sessionRetention.isNegative()) {
                throw new IllegalArgumentException("gatehouse.auth.purge.session-retention must not be negative");
            }
        }
    }
}
