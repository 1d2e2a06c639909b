package dev.gatehouse.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.support.EndToEndTest;
import dev.gatehouse.support.Http;
import dev.gatehouse.support.TestAccounts;
import dev.gatehouse.support.TestClock;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwk.HttpsJwks;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.keys.resolvers.HttpsJwksVerificationKeyResolver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * A third-party JWT library (jose4j) verifies Gatehouse access tokens knowing only the discovery
 * document and the JWKS it points to, as the product's backend would. No Gatehouse code is used.
 */
class JwksVerificationTest extends EndToEndTest {

    @Autowired
    TestClock clock;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    private JwtConsumer consumer(String issuer, String jwksUri) {
        return new JwtConsumerBuilder()
                .setEvaluationTime(NumericDate.fromMilliseconds(clock.millis())) // the app's (movable) time
                .setRequireExpirationTime()
                .setRequireSubject()
                .setExpectedIssuer(issuer)
                .setExpectedAudience("gatehouse")
                .setJwsAlgorithmConstraints(
                        AlgorithmConstraints.ConstraintType.PERMIT,
                        AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256)
                .setVerificationKeyResolver(new HttpsJwksVerificationKeyResolver(new HttpsJwks(jwksUri)))
                .build();
    }

    @Test
    void accessTokensVerifyWithOnlyTheJwks() throws Exception {
        TestAccounts.Account a = new TestAccounts(http, SMTP).create("jwks");
        JsonNode discovery =
                http.get("/.well-known/openid-configuration").send().json();
        String issuer = discovery.get("issuer").asString();
        assertThat(discovery.get("id_token_signing_alg_values_supported").get(0).asString())
                .isEqualTo("ES256");
        // The issuer is the configured public URL; the test reaches the same server on its random port.
        String jwksUri = http.base() + "/.well-known/jwks.json";

        JwtClaims claims = consumer(issuer, jwksUri).processToClaims(a.accessToken());
        String me = http.get("/api/v1/me")
                .bearer(a.accessToken())
                .send()
                .json()
                .get("id")
                .asString();
        assertThat(claims.getSubject()).isEqualTo(me);
        assertThat(claims.getStringListClaimValue("roles")).containsExactly("user");
        assertThat(claims.getStringClaimValue("sid")).isNotBlank();
        assertThat(claims.getExpirationTime().getValue() - claims.getIssuedAt().getValue())
                .isEqualTo(600);

        String tampered = a.accessToken().substring(0, a.accessToken().length() - 4) + "AAAA";
        assertThatThrownBy(() -> consumer(issuer, jwksUri).processToClaims(tampered))
                .isInstanceOf(InvalidJwtException.class);
        assertThat(http.get("/api/v1/me").bearer(tampered).send().code()).isEqualTo("invalid_token");
    }

    @Test
    void jwksHoldsOnlyPublicKeys() {
        JsonNode jwks = http.get("/.well-known/jwks.json").send().json();
        assertThat(jwks.get("keys").size()).isGreaterThanOrEqualTo(1);
        for (JsonNode key : jwks.get("keys")) {
            assertThat(key.get("kty").asString()).isEqualTo("EC");
            assertThat(key.get("crv").asString()).isEqualTo("P-256");
            assertThat(key.has("d")).as("private part must never be published").isFalse();
            assertThat(key.get("kid").asString()).isNotBlank();
        }
    }

    @Test
    void signingKeyRotationOverlapsOldAndNewKeys() throws Exception {
        TestAccounts accounts = new TestAccounts(http, SMTP);
        TestAccounts.Account admin = accounts.admin();
        TestAccounts.Account user = accounts.create("rotation");
        String issuer = http.get("/.well-known/openid-configuration")
                .send()
                .json()
                .get("issuer")
                .asString();
        String jwksUri = http.base() + "/.well-known/jwks.json";
        String oldKid = kid(user.accessToken());

        Http.Response rotated = http.post("/api/v1/admin/signing-keys/rotate")
                .bearer(admin.accessToken())
                .send();
        assertThat(rotated.status()).as(rotated.toString()).isEqualTo(201);
        String newKid = rotated.json().get("kid").asString();
        assertThat(kids()).contains(oldKid, newKid); // published before it signs

        // Still signing with the old key until the publish-ahead delay has passed.
        assertThat(kid(accounts.login(user.email(), TestAccounts.PASSWORD).accessToken()))
                .isEqualTo(oldKid);

        clock.advance(Duration.ofHours(1).plusSeconds(1));
        String fresh = accounts.login(user.email(), TestAccounts.PASSWORD).accessToken();
        assertThat(kid(fresh)).isEqualTo(newKid);
        assertThat(kids()).contains(oldKid, newKid); // old tokens may still be live: old key stays
        consumer(issuer, jwksUri).processToClaims(fresh);

        clock.advance(Duration.ofMinutes(16));
        assertThat(kids()).contains(newKid).doesNotContain(oldKid);
        // A retired key verifies nothing any more, not even inside Gatehouse.
        Http.Response retired =
                http.get("/api/v1/me").bearer(user.accessToken()).send();
        assertThat(retired.code()).isEqualTo("invalid_token");
        assertThat(retired.json().get("detail").asString()).contains("signing key");

        // A non-superadmin may not rotate.
        String userNow = accounts.login(user.email(), TestAccounts.PASSWORD).accessToken();
        assertThat(http.post("/api/v1/admin/signing-keys/rotate")
                        .bearer(userNow)
                        .send()
                        .status())
                .isEqualTo(403);
    }

    private Set<String> kids() {
        Set<String> kids = new HashSet<>();
        http.get("/.well-known/jwks.json")
                .send()
                .json()
                .get("keys")
                .forEach(k -> kids.add(k.get("kid").asString()));
        return kids;
    }

    private static String kid(String jwt) {
        String header = new String(java.util.Base64.getUrlDecoder().decode(jwt.substring(0, jwt.indexOf('.'))));
        return Http.JSON.readTree(header).get("kid").asString();
    }
}
