package dev.gatehouse.apikey;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.support.Http;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Service keys: made by platform admins only, authenticating the product's backend, rotated without downtime. */
class ServiceKeysTest extends ApiKeyEndToEndTest {

    /** Whether the service key currently authenticates (a verification of some key answers 200). */
    private boolean works(String serviceSecret) {
        int status = verify(serviceSecret, "gh_pk_whatever").status();
        assertThat(status).isIn(200, 401);
        return status == 200;
    }

    @Test
    void adminsCreateListAndRevokeServiceKeys() {
        JsonNode created = serviceKey("billing backend", "scopes", List.of("keys:verify"));
        String secret = created.get("key").asString();
        String id = created.get("id").asString();
        assertThat(secret).matches("gh_sk_[A-Za-z0-9_-]{43}");
        assertThat(created.has("org_id")).isFalse();
        assertThat(works(secret)).isTrue();

        Http.Response list =
                http.get(SERVICE_KEYS + "?limit=200").bearer(admin()).send();
        assertThat(list.status()).as(list.toString()).isEqualTo(200);
        assertThat(list.body()).doesNotContain(secret.substring(12));
        assertThat(list.json().get("data").valueStream().map(k -> k.get("id").asString()))
                .contains(id);

        assertThat(http.delete(SERVICE_KEYS + "/" + id).bearer(admin()).send().status())
                .isEqualTo(204);
        assertThat(works(secret)).isFalse();
        assertProblem(
                http.post(SERVICE_KEYS + "/" + id + "/rotate").bearer(admin()).send(), 409, "service_key_revoked");
        assertProblem(
                http.delete(SERVICE_KEYS + "/" + UUID.randomUUID())
                        .bearer(admin())
                        .send(),
                404,
                "not_found");

        List<String> actions = db.sql("select action from audit_events where target_id = :id order by seq")
                .param("id", id)
                .query(String.class)
                .list();
        assertThat(actions).containsExactly("service_key.created", "service_key.revoked");
    }

    @Test
    void plainUsersCannotTouchServiceKeys() {
        User user = user("sk-plain");
        String id = serviceKey("not yours").get("id").asString();
        List<Supplier<Http.Request>> requests = List.of(
                () -> http.get(SERVICE_KEYS),
                () -> http.post(SERVICE_KEYS).json("name", "mine now"),
                () -> http.delete(SERVICE_KEYS + "/" + id),
                () -> http.post(SERVICE_KEYS + "/" + id + "/rotate").json("overlap_seconds", 0));
        for (Supplier<Http.Request> request : requests) {
            assertProblem(request.get().bearer(user.token()).send(), 403, "forbidden");
            assertProblem(request.get().send(), 401, "unauthenticated");
        }
        assertThat(db.sql("select revoked_at is null and previous_hash is null from api_keys where id = :id")
                        .param("id", UUID.fromString(id))
                        .query(Boolean.class)
                        .single())
                .isTrue();
    }

    @Test
    void rotationKeepsTheOldSecretWorkingForTheOverlapThenStopsIt() {
        JsonNode created = serviceKey("rotating backend");
        String id = created.get("id").asString();
        String old = created.get("key").asString();
        assertThat(works(old)).isTrue();

        Http.Response r = http.post(SERVICE_KEYS + "/" + id + "/rotate")
                .bearer(admin())
                .json("overlap_seconds", 3600)
                .send();
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        String fresh = r.json().get("key").asString();
        assertThat(fresh).matches("gh_sk_[A-Za-z0-9_-]{43}").isNotEqualTo(old);
        assertThat(r.json().get("id").asString()).isEqualTo(id);
        assertThat(r.json().get("prefix").asString()).isEqualTo(fresh.substring(0, 12));
        Instant until =
                Instant.parse(r.json().get("previous_secret_valid_until").asString());
        assertThat(until)
                .isBetween(clock.instant().plusSeconds(3590), clock.instant().plusSeconds(3610));

        // During the overlap both secrets work.
        assertThat(works(old)).isTrue();
        assertThat(works(fresh)).isTrue();
        clock.advance(Duration.ofMinutes(59));
        assertThat(works(old)).isTrue();
        assertThat(works(fresh)).isTrue();

        // After it, only the new one.
        clock.advance(Duration.ofMinutes(2));
        assertThat(works(old)).isFalse();
        assertThat(works(fresh)).isTrue();

        Map<String, Object> audit = db.sql("""
                select actor_id, details->>'overlap_seconds' as overlap, details->>'previous_prefix' as previous
                from audit_events where action = 'service_key.rotated' and target_id = :id
                """).param("id", id).query().singleRow();
        assertThat(audit.get("overlap")).isEqualTo("3600");
        assertThat(audit.get("previous")).isEqualTo(old.substring(0, 12));
        assertThat(audit.get("actor_id")).isNotNull();
    }

    @Test
    void theDefaultOverlapIsADayAndAZeroOverlapRetiresTheOldSecretAtOnce() {
        JsonNode created = serviceKey("leaky backend");
        String id = created.get("id").asString();
        String first = created.get("key").asString();
        assertThat(works(first)).isTrue();

        // No body: the default overlap, one day.
        Http.Response r =
                http.post(SERVICE_KEYS + "/" + id + "/rotate").bearer(admin()).send();
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        String second = r.json().get("key").asString();
        assertThat(Instant.parse(r.json().get("previous_secret_valid_until").asString()))
                .isBetween(
                        clock.instant().plus(Duration.ofHours(23)),
                        clock.instant().plus(Duration.ofHours(25)));
        clock.advance(Duration.ofHours(23));
        assertThat(works(first)).isTrue();
        clock.reset();

        // A leak: rotate with no overlap. The leaked secret stops at once, and so does the older previous one.
        Http.Response leak = http.post(SERVICE_KEYS + "/" + id + "/rotate")
                .bearer(admin())
                .json("overlap_seconds", 0)
                .send();
        assertThat(leak.status()).as(leak.toString()).isEqualTo(200);
        String third = leak.json().get("key").asString();
        assertThat(leak.json().has("previous_secret_valid_until")).isFalse();
        assertThat(works(first)).isFalse();
        assertThat(works(second)).isFalse();
        assertThat(works(third)).isTrue();
    }

    @Test
    void anExpiredServiceKeyNoLongerAuthenticates() {
        JsonNode created = serviceKey(
                "temporary backend",
                "expires_at",
                clock.instant().plusSeconds(3600).toString());
        String secret = created.get("key").asString();
        assertThat(works(secret)).isTrue();
        clock.advance(Duration.ofMinutes(61));
        Http.Response refused = verify(secret, "gh_pk_whatever");
        assertProblem(refused, 401, "invalid_token");
        String admin = admin();
        assertProblem(
                http.post(SERVICE_KEYS + "/" + created.get("id").asString() + "/rotate")
                        .bearer(admin)
                        .send(),
                409,
                "service_key_expired");
    }
}
