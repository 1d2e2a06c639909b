package dev.gatehouse.identity;

import static dev.gatehouse.platform.Timestamps.instant;
import static dev.gatehouse.platform.Timestamps.nullableInstant;
import static dev.gatehouse.platform.Timestamps.utc;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import dev.gatehouse.platform.AdvisoryLock;
import dev.gatehouse.platform.MasterKey;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The ES256 signing keys, shared by all nodes through PostgreSQL.
 *
 * <p>Rotation with overlap: a new key is published in the JWKS {@code signing-key-publish-ahead}
 * before it starts signing, so verifiers that cache the JWKS know it before they meet it; the key it
 * replaces stays published for one access-token lifetime (plus 5 minutes of clock skew) after it
 * stops signing, so tokens it signed verify until they expire. Which key is active and which are
 * published is derived from the activation times alone.
 */
@Component
class KeyRing {

    private static final Logger log = LoggerFactory.getLogger(KeyRing.class);
    private static final Duration SKEW = Duration.ofMinutes(5);
    /** Advisory lock id for key generation, so two nodes starting together create one key. */
    record SigningKey(String kid, ECKey key, Instant createdAt, Instant activatesAt, JWSVerifier verifier) {}

    private final JdbcClient db;
    private final MasterKey masterKey;
    private final AuthSettings settings;
    private final Clock clock;
    private final TransactionTemplate tx;
    private final AtomicLong lastReload = new AtomicLong();
    private volatile List<SigningKey> keys = List.of();
    private volatile @Nullable Signing signing;

    private record Signing(String kid, JWSSigner signer) {}

    KeyRing(JdbcClient db, MasterKey masterKey, AuthSettings settings, Clock clock, TransactionTemplate tx) {
        this.db = db;
        this.masterKey = masterKey;
        this.settings = settings;
        this.clock = clock;
        this.tx = tx;
        rotateIfDue();
    }

    /** The key that signs now and its signer. */
    Map.Entry<String, JWSSigner> signer() {
        Instant now = clock.instant();
        Signing current = signing;
        SigningKey active = active(keys, now);
        if (current == null || !current.kid().equals(active.kid())) {
            try {
                current = new Signing(active.kid(), new ECDSASigner(active.key()));
            } catch (JOSEException e) {
                throw new IllegalStateException(e);
            }
            signing = current;
        }
        return Map.entry(current.kid(), current.signer());
    }

    /** The verifier for a key id; an unknown id triggers (at most every 5 s) a reload from the database. */
    Optional<JWSVerifier> verifier(String kid) {
        Optional<JWSVerifier> found = find(kid);
        if (found.isEmpty()) {
            long now = System.nanoTime();
            long last = lastReload.get();
            if (now - last > Duration.ofSeconds(5).toNanos() && lastReload.compareAndSet(last, now)) {
                reload();
                found = find(kid);
            }
        }
        return found;
    }

    /** Only published keys verify: a retired key, even if it leaked, can no longer mint valid tokens. */
    private Optional<JWSVerifier> find(String kid) {
        for (SigningKey k : published(clock.instant())) {
            if (k.kid().equals(kid)) return Optional.of(k.verifier());
        }
        return Optional.empty();
    }

    /** The public keys verifiers need now: pending, active, and recently superseded ones. */
    JWKSet publicKeys() {
        List<JWK> jwks = new ArrayList<>();
        for (SigningKey k : published(clock.instant())) jwks.add(k.key().toPublicJWK());
        return new JWKSet(jwks);
    }

    /** A key is published until one access-token lifetime (plus skew) after its successor took over. */
    private List<SigningKey> published(Instant now) {
        List<SigningKey> sorted = keys;
        List<SigningKey> published = new ArrayList<>();
        for (int i = 0; i < sorted.size(); i++) {
            Instant supersededAt = i + 1 < sorted.size() ? sorted.get(i + 1).activatesAt() : null;
            if (supersededAt == null
                    || supersededAt.plus(settings.accessTokenTtl()).plus(SKEW).isAfter(now)) {
                published.add(sorted.get(i));
            }
        }
        return published;
    }

    /** Generates a new key now (published ahead, signing later); used by the schedule and by admins. */
    String rotate() {
        String kid = tx.execute(status -> {
            AdvisoryLock.SIGNING_KEY_ROTATION.acquire(db);
            return insertKey(clock.instant().plus(settings.signingKeyPublishAhead()));
        });
        reload();
        return kid;
    }

    /** Checked every minute on every node; the advisory lock makes one node do the work. */
    @Scheduled(fixedDelayString = "PT60S", initialDelayString = "PT60S")
    void rotateIfDue() {
        tx.executeWithoutResult(status -> {
            AdvisoryLock.SIGNING_KEY_ROTATION.acquire(db);
            Instant now = clock.instant();
            Optional<Instant> newest = db.sql("select max(created_at) as newest from signing_keys")
                    .query((rs, n) -> Optional.ofNullable(nullableInstant(rs, "newest")))
                    .single();
            if (newest.isEmpty()) {
                insertKey(now);
            } else if (!newest.get().plus(settings.signingKeyRotation()).isAfter(now)) {
                insertKey(now.plus(settings.signingKeyPublishAhead()));
            }
        });
        reload();
    }

    private String insertKey(Instant activatesAt) {
        try {
            String kid = UUID.randomUUID().toString();
            ECKey key = new ECKeyGenerator(Curve.P_256)
                    .keyID(kid)
                    .algorithm(JWSAlgorithm.ES256)
                    .keyUse(KeyUse.SIGNATURE)
                    .generate();
            db.sql("""
                    insert into signing_keys (kid, algorithm, public_jwk, private_key, created_at, activates_at)
                    values (:kid, 'ES256', :pub, :priv, :created, :activates)
                    """)
                    .param("kid", kid)
                    .param("pub", key.toPublicJWK().toJSONString())
                    .param("priv", masterKey.seal(key.toJSONString().getBytes(StandardCharsets.UTF_8)))
                    .param("created", utc(clock.instant()))
                    .param("activates", utc(activatesAt))
                    .update();
            log.info("signing_key_created kid={} activates_at={}", kid, activatesAt);
            return kid;
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    void reload() {
        keys = db
                .sql(
                        "select kid, private_key, created_at, activates_at from signing_keys order by activates_at, created_at")
                .query((rs, n) -> {
                    try {
                        ECKey key = ECKey.parse(
                                new String(masterKey.open(rs.getBytes("private_key")), StandardCharsets.UTF_8));
                        return new SigningKey(
                                rs.getString("kid"),
                                key,
                                instant(rs, "created_at"),
                                instant(rs, "activates_at"),
                                new ECDSAVerifier(key.toECPublicKey()));
                    } catch (ParseException | JOSEException e) {
                        throw new IllegalStateException("unreadable signing key " + rs.getString("kid"), e);
                    }
                })
                .list()
                .stream()
                .sorted(Comparator.comparing(SigningKey::activatesAt))
                .collect(Collectors.toUnmodifiableList());
    }

    private static SigningKey active(List<SigningKey> keys, Instant now) {
        SigningKey active = null;
        for (SigningKey k : keys) {
            if (!k.activatesAt().isAfter(now)) active = k;
        }
        if (active == null) throw new IllegalStateException("no active signing key");
        return active;
    }
}
