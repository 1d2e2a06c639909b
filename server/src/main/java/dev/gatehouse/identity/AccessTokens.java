package dev.gatehouse.identity;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.gatehouse.platform.BearerTokenAuthenticator;
import dev.gatehouse.platform.Caller;
import dev.gatehouse.platform.HttpSettings;
import dev.gatehouse.platform.PlatformRole;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Issues and verifies access JWTs (ES256, {@code kid} header, {@code typ: at+jwt} per RFC 9068).
 *
 * <p>Verification results are cached by the exact token string until the token's own expiry: a
 * JWT cannot change, so a second verification of the same bytes would give the same answer. The
 * cache bounds ECDSA work on the hot path; expiry is still checked on every request.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class AccessTokens implements BearerTokenAuthenticator {

    static final JOSEObjectType AT_JWT = new JOSEObjectType("at+jwt");

    private final KeyRing keys;
    private final AuthSettings settings;
    private final Clock clock;
    private final String issuer;
    private final Cache<String, Verified> verified = Caffeine.newBuilder()
            .maximumSize(100_000)
            .expireAfterWrite(Duration.ofMinutes(10))
            .build();

    private record Verified(Caller caller, Instant expiresAt) {}

    AccessTokens(KeyRing keys, AuthSettings settings, Clock clock, HttpSettings http) {
        this.keys = keys;
        this.settings = settings;
        this.clock = clock;
        this.issuer = settings.issuer() != null ? settings.issuer() : http.base();
    }

    String issuer() {
        return issuer;
    }

    /** Signs an access token for a user in a session. */
    String issue(UUID userId, UUID sessionId, Set<PlatformRole> roles) {
        return issue(userId, sessionId, roles, null, settings.accessTokenTtl());
    }

    /**
     * Signs an access token; with {@code actorId} it is an impersonation token carrying the RFC 8693
     * {@code act} claim ({@code {"sub": actor}}), so every service that reads it knows who really acts.
     */
    String issue(UUID userId, UUID sessionId, Set<PlatformRole> roles, @Nullable UUID actorId, Duration ttl) {
        Instant now = clock.instant();
        Map.Entry<String, JWSSigner> signer = keys.signer();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(issuer)
                .subject(userId.toString())
                .audience(settings.audience())
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now))
                .expirationTime(Date.from(now.plus(ttl)))
                .jwtID(UUID.randomUUID().toString())
                .claim("sid", sessionId.toString())
                .claim("roles", roles.stream().map(PlatformRole::wire).toList())
                .claim("act", actorId == null ? null : Map.of("sub", actorId.toString()))
                .build();
        SignedJWT jwt = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.ES256)
                        .keyID(signer.getKey())
                        .type(AT_JWT)
                        .build(),
                claims);
        try {
            jwt.sign(signer.getValue());
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    @Override
    public Optional<Caller> authenticate(String token) {
        // Only compact JWS (three dot-separated parts) is ours; other bearer kinds go to other modules.
        if (token.chars().filter(c -> c == '.').count() != 2) return Optional.empty();
        Instant now = clock.instant();
        Verified hit = verified.getIfPresent(token);
        if (hit == null) {
            hit = verify(token, now);
            verified.put(token, hit);
        }
        if (!hit.expiresAt().isAfter(now)) {
            verified.invalidate(token);
            throw IdentityFailures.accessTokenInvalid("The access token has expired; refresh it.");
        }
        return Optional.of(hit.caller());
    }

    private Verified verify(String token, Instant now) {
        try {
            SignedJWT jwt = SignedJWT.parse(token);
            JWSHeader header = jwt.getHeader();
            if (!JWSAlgorithm.ES256.equals(header.getAlgorithm())
                    || !AT_JWT.equals(header.getType())
                    || header.getKeyID() == null) {
                throw IdentityFailures.accessTokenInvalid("The access token is not a Gatehouse access token.");
            }
            JWSVerifier verifier = keys.verifier(header.getKeyID())
                    .orElseThrow(
                            () -> IdentityFailures.accessTokenInvalid("The access token's signing key is unknown."));
            if (!jwt.verify(verifier)) {
                throw IdentityFailures.accessTokenInvalid("The access token's signature is invalid.");
            }
            JWTClaimsSet claims = jwt.getJWTClaimsSet();
            Date exp = claims.getExpirationTime();
            Date nbf = claims.getNotBeforeTime();
            Date iat = claims.getIssueTime();
            if (iat == null
                    || exp == null
                    || exp.toInstant().isAfter(iat.toInstant().plus(settings.accessTokenTtl()))) {
                // We never issue longer-lived tokens; one that claims to be is not ours to trust.
                throw IdentityFailures.accessTokenInvalid("The access token's lifetime is not one Gatehouse issues.");
            }
            if (!exp.toInstant().isAfter(now)) {
                throw IdentityFailures.accessTokenInvalid("The access token has expired; refresh it.");
            }
            if (nbf != null && nbf.toInstant().isAfter(now.plusSeconds(60))) {
                throw IdentityFailures.accessTokenInvalid("The access token is not valid yet.");
            }
            if (!issuer.equals(claims.getIssuer())
                    || claims.getAudience() == null
                    || !claims.getAudience().contains(settings.audience())) {
                throw IdentityFailures.accessTokenInvalid("The access token was issued for another service.");
            }
            // A role this build does not know makes the token malformed (IllegalArgumentException below).
            Set<PlatformRole> roles = claims.getStringListClaim("roles").stream()
                    .map(PlatformRole::of)
                    .collect(Collectors.toUnmodifiableSet());
            @Nullable String sid = claims.getStringClaim("sid");
            Map<String, Object> act = claims.getJSONObjectClaim("act");
            Caller caller = new Caller(
                    UUID.fromString(claims.getSubject()),
                    sid == null ? null : UUID.fromString(sid),
                    roles,
                    act == null ? null : UUID.fromString((String) act.get("sub")));
            return new Verified(caller, exp.toInstant());
        } catch (ParseException
                | JOSEException
                | IllegalArgumentException
                | NullPointerException
                | ClassCastException e) {
            throw IdentityFailures.accessTokenInvalid("The access token is malformed.");
        }
    }
}
