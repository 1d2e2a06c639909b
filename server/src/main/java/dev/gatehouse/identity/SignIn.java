package dev.gatehouse.identity;

import dev.gatehouse.identity.mfa.MfaChallenges;
import dev.gatehouse.platform.AesGcm;
import dev.gatehouse.platform.OpaqueTokens;
import dev.gatehouse.platform.PlatformRole;
import dev.gatehouse.platform.RequestIds;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Password sign-in (with a second-factor challenge when two-factor sign-in is on; {@link MfaSignIn}
 * finishes it), refresh-token rotation and logout.
 *
 * <p>Refresh tokens rotate on every use (RFC 9700 §4.14.2). Each session is one token family with at
 * most one active token (a partial unique index enforces it). Presenting a rotated token is treated
 * as theft and revokes the family, except within {@code refresh-reuse-grace} of the rotation while
 * the successor is still unused: then the caller gets that same successor back (it is stored sealed
 * with a key derived from the rotated token, so only a holder of the old token can open it). Many
 * concurrent refreshes of one token therefore all end with the same single live token.
 */
@Service
class SignIn {

    private static final Logger log = LoggerFactory.getLogger(SignIn.class);
    static final String REFRESH_PREFIX = "ghr_";
    static final OpaqueTokens REFRESH_TOKENS = OpaqueTokens.prefixed(REFRESH_PREFIX);

    record Tokens(String accessToken, String refreshToken, long expiresIn) {}

    record Device(@Nullable String ip, @Nullable String userAgent) {}

    private final Users users;
    private final Sessions sessions;
    private final PasswordHasher hasher;
    private final AccessTokens accessTokens;
    private final AuthSettings settings;
    private final Clock clock;
    private final TransactionTemplate tx;
    private final SignInThrottle throttle;
    private final MfaChallenges mfaChallenges;
    private final ApplicationEventPublisher events;
    private final SessionLimit sessionLimit;

    SignIn(
            Users users,
            Sessions sessions,
            PasswordHasher hasher,
            AccessTokens accessTokens,
            AuthSettings settings,
            Clock clock,
            TransactionTemplate tx,
            SignInThrottle throttle,
            MfaChallenges mfaChallenges,
            ApplicationEventPublisher events,
            SessionLimit sessionLimit) {
        this.users = users;
        this.sessions = sessions;
        this.hasher = hasher;
        this.accessTokens = accessTokens;
        this.settings = settings;
        this.clock = clock;
        this.tx = tx;
        this.throttle = throttle;
        this.mfaChallenges = mfaChallenges;
        this.events = events;
        this.sessionLimit = sessionLimit;
    }

    /** What the password step ends in: a session, or (two-factor sign-in on) a challenge for the second factor. */
    private sealed interface LoginOutcome {
        record Opened(Tokens tokens) implements LoginOutcome {}

        record SecondFactorRequired(String mfaToken) implements LoginOutcome {}
    }

    /** Checks the password (outside any transaction: Argon2 is slow), then opens a session. */
    Tokens login(String rawEmail, String password, Device device) {
        String email = EmailAddress.normalize(rawEmail);
        String accountKey = SignInThrottle.key(SignInThrottle.Kind.LOGIN_ACCOUNT, email);
        Users.SignInView found = users.forSignIn(
                email,
                throttle.counted(List.of(accountKey, SignInThrottle.key(SignInThrottle.Kind.LOGIN_IP, device.ip()))));
        boolean failuresOnRecord = throttle.judge(found.standings()).contains(accountKey);
        User user = found.user();
        if (user == null) {
            hasher.burn(password);
            throttle.loginFailed(email, device.ip(), null, SignInFailed.Reason.INVALID_CREDENTIALS);
            throw IdentityFailures.invalidCredentials();
        }
        if (!hasher.matches(password, user.passwordHash())) {
            throttle.loginFailed(email, device.ip(), user.id(), SignInFailed.Reason.INVALID_CREDENTIALS);
            throw IdentityFailures.invalidCredentials();
        }
        // Only after the password is proven do we say anything about the account's state.
        if (!user.verified()) throw IdentityFailures.emailNotVerified();
        if (!user.active()) throw IdentityFailures.accountSuspended();
        String rehash = hasher.needsRehash(user.passwordHash()) ? hasher.hash(password) : null;
        // Decide inside the transaction, throw after it: a second-factor challenge must commit.
        LoginOutcome outcome = tx.execute(status -> {
            // The hash was checked outside the transaction; if a reset or change committed since, the
            // password we checked is no longer the password, and a session opened now would survive
            // the revocation that went with it. The row lock orders us against such a change.
            User locked = users.lock(user.id()).orElse(null);
            if (locked == null || !user.passwordHash().equals(locked.passwordHash())) {
                throw IdentityFailures.invalidCredentials();
            }
            Instant now = clock.instant();
            if (rehash != null) users.updatePasswordHash(user.id(), rehash, now);
            // Read under the row lock: enabling and disabling 2FA take the same lock.
            if (locked.mfaEnabled()) {
                String checked = rehash != null ? rehash : user.passwordHash();
                return new LoginOutcome.SecondFactorRequired(mfaChallenges.issue(
                        user.id(), checked, now, settings.mfa().challengeTtl()));
            }
            return new LoginOutcome.Opened(
                    openSession(UUID.randomUUID(), user.id(), user.roles(), device, now, ProofMethod.PASSWORD));
        });
        return switch (outcome) {
            case LoginOutcome.Opened opened -> {
                // Only a complete sign-in forgets earlier failures: a right password followed by wrong
                // second factors must keep counting against the account.
                if (failuresOnRecord) throttle.succeeded(accountKey);
                yield opened.tokens();
            }
            case LoginOutcome.SecondFactorRequired required ->
                throw IdentityFailures.mfaRequired(
                        required.mfaToken(), settings.mfa().challengeTtl());
        };
    }

    /** Opens a session; also used by {@link MfaSignIn}, so both kinds of sign-in open sessions alike. */
    Tokens openSession(
            UUID sessionId, UUID userId, Set<PlatformRole> roles, Device device, Instant now, ProofMethod method) {
        makeRoomForOneMore(userId, roles, now);
        String refresh = REFRESH_TOKENS.generate();
        sessions.createWithToken(
                new Sessions.Session(
                        sessionId,
                        userId,
                        truncate(device.userAgent(), 512),
                        device.ip(),
                        now,
                        now,
                        now.plus(settings.sessionMaxLifetime()),
                        null,
                        null),
                TimeOrderedIds.at(now),
                OpaqueTokens.sha256(refresh),
                refreshExpiry(now, now.plus(settings.sessionMaxLifetime())));
        events.publishEvent(new SignedIn(userId, sessionId, method, RequestIds.current(), now));
        return tokens(userId, sessionId, roles, refresh);
    }

    /**
     * Keeps the user within their plan's concurrent-session limit ({@link SessionLimit}) by ending their oldest
     * sessions, so the one about to open fits. Runs in the sign-in's transaction under the user's row lock, so
     * concurrent sign-ins of one user count one after another and never leave more than the limit open.
     */
    private void makeRoomForOneMore(UUID userId, Set<PlatformRole> roles, Instant now) {
        if (roles.stream().anyMatch(r -> r != PlatformRole.USER)) return;
        OptionalInt limit = sessionLimit.concurrentSessions(userId);
        if (limit.isEmpty()) return;
        users.lock(userId);
        List<UUID> live = sessions.ownLiveOldestFirst(userId, now);
        int over = live.size() - Math.max(limit.getAsInt(), 1) + 1;
        for (int i = 0; i < over; i++) {
            sessions.revoke(live.get(i), now, RevokeReason.SESSION_LIMIT);
            log.info("session_evicted user_id={} session_id={} limit={}", userId, live.get(i), limit.getAsInt());
        }
    }

    /** A fresh access token for the session, with the refresh token the client must use next. */
    private Tokens tokens(UUID userId, UUID sessionId, Set<PlatformRole> roles, String refreshToken) {
        return new Tokens(
                accessTokens.issue(userId, sessionId, roles),
                refreshToken,
                settings.accessTokenTtl().toSeconds());
    }

    private sealed interface Outcome {
        record Issued(Tokens tokens) implements Outcome {}

        record Reused(UUID sessionId) implements Outcome {}

        record Rejected(RuntimeException problem) implements Outcome {}
    }

    Tokens refresh(String refreshToken, Device device) {
        if (!refreshToken.startsWith(REFRESH_PREFIX)) throw IdentityFailures.refreshTokenInvalid();
        String next = REFRESH_TOKENS.generate();
        Optional<Sessions.Rotated> plain = rotateActive(refreshToken, next, clock.instant(), device);
        if (plain.isPresent()) {
            // Signed after the commit: the new refresh token is already the family's only live one.
            Sessions.Rotated r = plain.get();
            return tokens(r.userId(), r.sessionId(), r.roles(), next);
        }
        // Anything but the plain case is decided under a lock. Decide inside the transaction, throw after
        // it: a detected reuse must commit its revocation.
        Outcome outcome = tx.execute(status -> rotate(refreshToken, device));
        return switch (outcome) {
            case Outcome.Issued issued -> issued.tokens();
            case Outcome.Reused reused -> {
                log.warn("refresh_token_reused session_id={} family_revoked=true", reused.sessionId());
                throw IdentityFailures.refreshTokenReused();
            }
            case Outcome.Rejected rejected -> throw rejected.problem();
        };
    }

    private Outcome rotate(String presented, Device device) {
        Instant now = clock.instant();
        Sessions.TokenRow row = sessions.lockToken(OpaqueTokens.sha256(presented));
        if (row == null || row.sessionRevokedAt() != null) {
            return new Outcome.Rejected(IdentityFailures.refreshTokenInvalid());
        }
        if (row.state() != RefreshTokenState.REVOKED && row.userStatus() != UserStatus.ACTIVE) {
            return new Outcome.Rejected(IdentityFailures.accountSuspended());
        }
        return switch (row.state()) {
            case REVOKED -> new Outcome.Rejected(IdentityFailures.refreshTokenInvalid());
            case ROTATED -> reuse(presented, row, now);
            case ACTIVE -> {
                if (!row.expiresAt().isAfter(now) || !row.sessionExpiresAt().isAfter(now)) {
                    yield new Outcome.Rejected(IdentityFailures.refreshTokenExpired());
                }
                // Plain after all (the fast path raced something): the same one-statement rotation, under our lock.
                String next = REFRESH_TOKENS.generate();
                yield rotateActive(presented, next, now, device)
                        .<Outcome>map(r -> new Outcome.Issued(tokens(r.userId(), r.sessionId(), r.roles(), next)))
                        .orElseGet(() -> new Outcome.Rejected(IdentityFailures.refreshTokenInvalid()));
            }
        };
    }

    /**
     * A rotated token presented again: within the grace window, while its successor is unused, the caller gets
     * that successor back (a concurrent refresh lost the race); otherwise it is theft and the family ends.
     */
    private Outcome reuse(String presented, Sessions.TokenRow row, Instant now) {
        boolean inGrace = row.rotatedAt() != null
                && !row.rotatedAt().plus(settings.refreshReuseGrace()).isBefore(now);
        if (inGrace
                && row.successorId() != null
                && row.successorSealed() != null
                && sessions.isActiveToken(row.successorId())) {
            String successor = new String(openForHolder(presented, row.successorSealed()), StandardCharsets.UTF_8);
            return new Outcome.Issued(tokens(row.userId(), row.sessionId(), row.roles(), successor));
        }
        sessions.revoke(row.sessionId(), now, RevokeReason.REFRESH_TOKEN_REUSED);
        events.publishEvent(new RefreshTokenReused(row.userId(), row.sessionId(), RequestIds.current(), now));
        return new Outcome.Reused(row.sessionId());
    }

    /** {@link Sessions#rotateActive}, the one statement that rotates, with the successor sealed under the presented token. */
    private Optional<Sessions.Rotated> rotateActive(String presented, String next, Instant now, Device device) {
        return sessions.rotateActive(
                OpaqueTokens.sha256(presented),
                now,
                TimeOrderedIds.at(now),
                sealForHolder(presented, next.getBytes(StandardCharsets.UTF_8)),
                OpaqueTokens.sha256(next),
                now.plus(settings.refreshTokenTtl()),
                device.ip());
    }

    /** Ends the refresh token's session. Unknown tokens are ignored, as RFC 7009 asks of revocation. */
    void logout(String refreshToken) {
        if (!refreshToken.startsWith(REFRESH_PREFIX)) return;
        tx.executeWithoutResult(status -> {
            Sessions.TokenRow row = sessions.lockToken(OpaqueTokens.sha256(refreshToken));
            if (row != null && sessions.revoke(row.sessionId(), clock.instant(), RevokeReason.LOGOUT)) {
                events.publishEvent(
                        new SignedOut(row.userId(), row.sessionId(), RequestIds.current(), clock.instant()));
            }
        });
    }

    private Instant refreshExpiry(Instant now, Instant sessionEnd) {
        Instant idle = now.plus(settings.refreshTokenTtl());
        return idle.isBefore(sessionEnd) ? idle : sessionEnd;
    }

    static @Nullable String truncate(@Nullable String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }

    /** Seals with a key derived from a high-entropy token: only a holder of that token can open it. */
    static byte[] sealForHolder(String token, byte[] plaintext) {
        return AesGcm.seal(holderKey(token), plaintext);
    }

    static byte[] openForHolder(String token, byte[] sealed) {
        return AesGcm.open(holderKey(token), sealed);
    }

    private static byte[] holderKey(String token) {
        return OpaqueTokens.sha256("gatehouse/successor-seal/" + token);
    }
}
