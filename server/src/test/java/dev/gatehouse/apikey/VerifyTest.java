package dev.gatehouse.apikey;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.support.Http;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * {@code POST /api/v1/keys/verify}: every kind of key gets a 200 answer, and the route belongs to service keys
 * alone, as service keys belong to it alone.
 */
class VerifyTest extends ApiKeyEndToEndTest {

    @Autowired
    KeyChangeFeed feed;

    @Test
    void unknownAndMalformedKeysAreOrdinaryAnswersNotErrors() {
        String service = serviceSecret();
        String unknown = KeySecrets.ORG.generate();
        for (int i = 0; i < 2; i++) {
            // The second time from the negative cache: same answer.
            JsonNode answer = verified(service, unknown);
            assertThat(answer.get("valid").asBoolean()).isFalse();
            assertThat(answer.get("code").asString()).isEqualTo("unknown_key");
            assertThat(answer.size()).as(answer.toString()).isEqualTo(2);
        }
        for (String malformed : List.of(
                "",
                "gh_pk_",
                "gh_pk_short",
                unknown + "x",
                unknown.substring(0, 48) + "!",
                unknown.replace("gh_pk_", "GH_PK_"),
                // A service key is not an org API key, even a working one.
                service,
                "Bearer " + unknown,
                "gh_pk_" + "é".repeat(43))) {
            JsonNode answer = verified(service, malformed);
            assertThat(answer.get("valid").asBoolean()).as(malformed).isFalse();
            assertThat(answer.get("code").asString()).as(malformed).isEqualTo("malformed_key");
        }
    }

    @Test
    void aCacheHitDoesNotReadPostgreSql() {
        User owner = user("verify-cache");
        String service = serviceSecret();
        JsonNode created = orgKey(owner, owner.personalOrg(), "cached");
        String secret = created.get("key").asString();
        // The feed reports a new key as changed: read it now, so that its eviction (and the bump of the cache's
        // generation it brings) cannot land between the caching verification and the ones below.
        feed.poll();
        assertThat(verified(service, secret).get("valid").asBoolean()).isTrue();

        // Behind Gatehouse's back (Gatehouse itself never deletes a key row, and a delete moves no changed_at,
        // so no node hears of it): the row is gone, yet this node still answers from memory.
        db.sql("delete from api_keys where id = :id")
                .param("id", UUID.fromString(created.get("id").asString()))
                .update();
        for (int i = 0; i < 10; i++) {
            JsonNode answer = verified(service, secret);
            assertThat(answer.get("valid").asBoolean()).isTrue();
            assertThat(answer.get("key_id").asString())
                    .isEqualTo(created.get("id").asString());
        }
    }

    @Test
    void onlyServiceKeysMayVerify() {
        User user = user("verify-user");
        String secret = orgKey(user, user.personalOrg(), "mine").get("key").asString();

        assertProblem(http.post(VERIFY).json("key", secret).send(), 401, "unauthenticated");
        assertProblem(http.post(VERIFY).bearer(user.token()).json("key", secret).send(), 403, "forbidden");
        assertProblem(http.post(VERIFY).bearer(admin()).json("key", secret).send(), 403, "forbidden");
        // An org API key is a credential for one thing only, sending its organization's usage: here it is refused.
        Http.Response withOrgKey =
                http.post(VERIFY).bearer(secret).json("key", secret).send();
        assertProblem(withOrgKey, 403, "forbidden");
        // Made-up and malformed service keys are refused like any invalid bearer token.
        assertProblem(
                http.post(VERIFY)
                        .bearer(KeySecrets.SERVICE.generate())
                        .json("key", secret)
                        .send(),
                401,
                "invalid_token");
        assertProblem(http.post(VERIFY).bearer("gh_sk_nope").json("key", secret).send(), 401, "invalid_token");
    }

    @Test
    void aServiceKeyIsRefusedEverywhereElse() {
        User user = user("verify-elsewhere");
        String service = serviceSecret();
        UUID some = UUID.randomUUID();
        for (Http.Request request : List.of(
                http.get("/api/v1/me"),
                http.get("/api/v1/me/sessions"),
                http.get("/api/v1/orgs"),
                http.post("/api/v1/orgs").json("name", "Backend's own"),
                http.get(apiKeys(user.personalOrg())),
                http.post(apiKeys(user.personalOrg())).json("name", "sneaky"),
                http.get(SERVICE_KEYS),
                http.post(SERVICE_KEYS).json("name", "escalation"),
                http.delete(SERVICE_KEYS + "/" + some),
                http.post(SERVICE_KEYS + "/" + some + "/rotate"),
                http.get("/api/v1/admin/users"),
                http.get("/api/v1/admin/audit-events"),
                http.get("/api/v1/jobs/" + some))) {
            assertProblem(request.bearer(service).send(), 403, "forbidden");
        }
        // Public routes stay public whoever calls.
        assertThat(http.get("/.well-known/jwks.json").bearer(service).send().status())
                .isEqualTo(200);
        assertThat(db.sql("select count(*) from organizations where name = 'Backend''s own'")
                        .query(Integer.class)
                        .single())
                .isZero();
    }

    @Test
    void verificationIgnoresIdempotencyKeys() {
        User owner = user("verify-idem");
        String service = serviceSecret();
        JsonNode created = orgKey(owner, owner.personalOrg(), "replay");
        String secret = created.get("key").asString();
        Http.Response first = http.post(VERIFY)
                .bearer(service)
                .header("Idempotency-Key", "same-key")
                .json("key", secret)
                .send();
        assertThat(first.json().get("valid").asBoolean()).isTrue();
        http.delete(apiKeys(owner.personalOrg()) + "/" + created.get("id").asString())
                .bearer(owner.token())
                .send();
        // A stored "valid" replayed after the revocation would be a lie; verification is never stored.
        Http.Response second = http.post(VERIFY)
                .bearer(service)
                .header("Idempotency-Key", "same-key")
                .json("key", secret)
                .send();
        assertThat(second.header("Idempotent-Replayed")).isNull();
        assertThat(second.json().get("code").asString()).isEqualTo("revoked");
    }
}
