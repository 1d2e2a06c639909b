package dev.gatehouse.flags;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.support.Http;
import dev.gatehouse.support.Poll;
import dev.gatehouse.support.TestAccounts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The flag admin API and evaluation over HTTP, on the running app. */
class FlagsEndToEndTest extends FlagTestSupport {

    @Test
    void aFiftyPercentRolloutIsStickyAndSplitsUsersAsTheHashSays() {
        String key = unique("checkout.new");
        JsonNode created = create("""
                {"key": "%s", "kind": "boolean", "enabled": true,
                 "strategies": [{"type": "flexible_rollout", "rollout": 50, "stickiness": "user_id"}]}
                """.formatted(key));
        assertThat(created.get("version").asLong()).isEqualTo(1);
        assertThat(created.get("killed").asBoolean()).isFalse();

        int on = 0;
        for (int i = 0; i < 200; i++) {
            String ctx = "{\"user_id\": \"user-" + i + "\"}";
            boolean first = enabled(http, key, ctx);
            assertThat(enabled(http, key, ctx)).as("sticky for user-%s", i).isEqualTo(first);
            // the bucket Unleash computes: murmur3("{groupId}:{userId}") % 100 + 1 <= 50, group = the flag's key
            int bucket = dev.gatehouse.client.flags.Murmur3.bucket(key, "user-" + i, 100, 0);
            assertThat(first).as("user-%s in bucket %s", i, bucket).isEqualTo(bucket <= 50);
            if (first) on++;
        }
        assertThat(on).isBetween(70, 130);
        // no stickiness value and stickiness user_id: off
        assertThat(enabled(http, key, "{}")).isFalse();
    }

    @Test
    void allowListsPlanAndCountryConstraintsSegmentsAndVariants() {
        Http.Response segment = http.put("/api/v1/admin/flag-segments/" + unique("eu"))
                .bearer(admin())
                .body("{\"constraints\": [{\"context_name\": \"country\", \"operator\": \"IN\","
                        + " \"values\": [\"FR\", \"DE\"]}]}")
                .send();
        assertThat(segment.status()).as(segment.toString()).isEqualTo(200);
        String eu = segment.json().get("name").asString();
        String key = unique("pricing");
        create("""
                {"key": "%s", "kind": "variant", "enabled": true,
                 "strategies": [
                   {"type": "user_ids", "user_ids": ["vip-1"]},
                   {"type": "default", "segments": ["%s"],
                    "constraints": [{"context_name": "plan", "operator": "IN", "values": ["PRO"], "case_insensitive": true}]}],
                 "variants": [{"name": "a", "weight": 50, "payload": {"type": "string", "value": "A"}},
                              {"name": "b", "weight": 50, "overrides": [{"context_name": "user_id", "values": ["vip-1"]}]}]}
                """.formatted(key, eu));

        JsonNode vip = evaluated(http, key, "{\"user_id\": \"vip-1\"}");
        assertThat(vip.get("enabled").asBoolean()).isTrue();
        assertThat(vip.get("variant").get("name").asString()).isEqualTo("b");
        assertThat(enabled(http, key, "{\"user_id\": \"u\", \"plan\": \"pro\", \"country\": \"FR\"}"))
                .isTrue();
        assertThat(enabled(http, key, "{\"user_id\": \"u\", \"plan\": \"pro\", \"country\": \"US\"}"))
                .isFalse();
        assertThat(enabled(http, key, "{\"user_id\": \"u\", \"plan\": \"free\", \"country\": \"FR\"}"))
                .isFalse();
        JsonNode off = evaluated(http, key, "{\"user_id\": \"nobody\"}");
        assertThat(off.get("variant").get("name").asString()).isEqualTo("disabled");
        assertThat(off.get("variant").get("enabled").asBoolean()).isFalse();

        // a segment in use cannot be deleted
        assertProblem(
                http.delete("/api/v1/admin/flag-segments/" + eu).bearer(admin()).send(), 409, "segment_in_use");
    }

    @Test
    void withoutAPlanInTheContextTheOrganizationsPlanIsTargeted() {
        String key = unique("pro-only");
        create("""
                {"key": "%s", "kind": "boolean", "enabled": true,
                 "strategies": [{"type": "default",
                   "constraints": [{"context_name": "plan", "operator": "IN", "values": ["pro"]}]}]}
                """.formatted(key));
        Http.Response org = http.post("/api/v1/orgs")
                .bearer(admin())
                .json("name", "Plan targeting")
                .send();
        assertThat(org.status()).as(org.toString()).isEqualTo(201);
        String orgId = org.json().get("id").asString();
        String context = "{\"user_id\": \"u\", \"org_id\": \"" + orgId + "\"}";

        assertThat(enabled(http, key, context))
                .as("a new organization is on free")
                .isFalse();
        Http.Response upgraded = http.post("/api/v1/admin/orgs/" + orgId + "/subscription/override")
                .bearer(admin())
                .json("plan", "pro", "reason", "plan targeting test")
                .send();
        assertThat(upgraded.status()).as(upgraded.toString()).isEqualTo(200);
        Poll.untilTrue(Duration.ofSeconds(2), "the upgrade reaches evaluation", () -> enabled(http, key, context));

        // a plan in the context wins; an org id that names no organization resolves to no plan
        assertThat(enabled(http, key, context.replace("}", ", \"plan\": \"free\"}")))
                .isFalse();
        assertThat(enabled(http, key, "{\"org_id\": \"" + UUID.randomUUID() + "\"}"))
                .isFalse();
        assertThat(enabled(http, key, "{\"org_id\": \"not-a-uuid\"}")).isFalse();
    }

    @Test
    void everyChangeIsAVersionAndAStaleVersionIsRefusedWithTheCurrentFlag() {
        String key = unique("versions");
        create("{\"key\": \"" + key + "\", \"kind\": \"boolean\"}");
        Http.Response on = http.patch(FLAGS + "/" + key)
                .bearer(admin())
                .json("version", 1, "enabled", true)
                .send();
        assertThat(on.status()).as(on.toString()).isEqualTo(200);
        assertThat(on.json().get("version").asLong()).isEqualTo(2);

        Http.Response stale = http.patch(FLAGS + "/" + key)
                .bearer(admin())
                .json("version", 1, "enabled", false)
                .send();
        assertProblem(stale, 409, "version_conflict");
        assertThat(stale.json().get("current_version").asLong()).isEqualTo(2);
        assertThat(stale.json().get("current").get("enabled").asBoolean()).isTrue();

        assertThat(http.delete(FLAGS + "/" + key).bearer(admin()).send().status())
                .isEqualTo(204);
        assertProblem(http.get(FLAGS + "/" + key).bearer(admin()).send(), 404, "not_found");
        Http.Response versions =
                http.get(FLAGS + "/" + key + "/versions").bearer(admin()).send();
        assertThat(versions.status()).as(versions.toString()).isEqualTo(200);
        List<String> changes = new ArrayList<>();
        versions.json()
                .get("data")
                .forEach(v -> changes.add(
                        v.get("version").asLong() + ":" + v.get("change").asString()));
        assertThat(changes).containsExactly("3:deleted", "2:updated", "1:created");
        assertThat(versions.json().get("data").get(1).get("flag").get("enabled").asBoolean())
                .isTrue();

        // re-created, the key's history continues
        assertThat(create("{\"key\": \"" + key + "\", \"kind\": \"boolean\"}")
                        .get("version")
                        .asLong())
                .isEqualTo(4);

        Http.Response audit = http.get("/api/v1/admin/audit-events?target_type=flag&target_id=" + key)
                .bearer(admin())
                .send();
        List<String> actions = new ArrayList<>();
        audit.json().get("data").forEach(e -> actions.add(e.get("action").asString()));
        assertThat(actions).contains("flag.created", "flag.updated", "flag.deleted");
    }

    @Test
    void tenConcurrentChangesOfOneVersionLetExactlyOneThrough() throws Exception {
        String key = unique("race");
        create("{\"key\": \"" + key + "\", \"kind\": \"boolean\"}");
        String token = admin();
        ExecutorService pool = Executors.newFixedThreadPool(10);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> answers = new ArrayList<>();
        try {
            for (int i = 0; i < 10; i++) {
                String description = "writer " + i;
                Callable<Integer> patch = () -> {
                    start.await();
                    return new Http(http.base())
                            .patch(FLAGS + "/" + key)
                            .bearer(token)
                            .json("version", 1, "description", description)
                            .send()
                            .status();
                };
                answers.add(pool.submit(patch));
            }
            start.countDown();
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> f : answers) statuses.add(f.get());
            assertThat(statuses).filteredOn(s -> s == 200).hasSize(1);
            assertThat(statuses).filteredOn(s -> s == 409).hasSize(9);
        } finally {
            pool.shutdownNow();
        }
        assertThat(http.get(FLAGS + "/" + key)
                        .bearer(admin())
                        .send()
                        .json()
                        .get("version")
                        .asLong())
                .isEqualTo(2);
    }

    @Test
    void aKillSwitchTurnsTheFlagOffAndTheGlobalOneEveryFlag() {
        String key = unique("killable");
        create("{\"key\": \"" + key + "\", \"kind\": \"boolean\", \"enabled\": true}");
        assertThat(enabled(http, key, "{}")).isTrue();
        killSwitch(key, true);
        assertThat(enabled(http, key, "{}")).isFalse();
        assertThat(http.get(FLAGS + "/" + key)
                        .bearer(admin())
                        .send()
                        .json()
                        .get("killed")
                        .asBoolean())
                .isTrue();
        killSwitch(key, false);
        assertThat(enabled(http, key, "{}")).isTrue();
        try {
            killSwitch("global", true);
            assertThat(enabled(http, key, "{}")).isFalse();
        } finally {
            killSwitch("global", false);
        }
        assertThat(enabled(http, key, "{}")).isTrue();
        Http.Response audit = http.get("/api/v1/admin/audit-events?target_type=kill_switch&target_id=global")
                .bearer(admin())
                .send();
        List<String> actions = new ArrayList<>();
        audit.json().get("data").forEach(e -> actions.add(e.get("action").asString()));
        assertThat(actions).contains("kill_switch.activated", "kill_switch.deactivated");
    }

    @Test
    void theSnapshotCarriesEverythingWithAnEtag() {
        String key = unique("snap");
        create("{\"key\": \"" + key + "\", \"kind\": \"boolean\", \"enabled\": true}");
        Http.Response first =
                http.get("/api/v1/flags/snapshot").bearer(service()).send();
        assertThat(first.status()).as(first.toString()).isEqualTo(200);
        String etag = first.header("ETag");
        assertThat(etag).isEqualTo("\"" + first.json().get("version").asString() + "\"");
        var snapshot = dev.gatehouse.client.flags.SnapshotJson.parse(first.body());
        assertThat(snapshot.flags()).anyMatch(f -> f.key().equals(key));

        Http.Response unchanged = http.get("/api/v1/flags/snapshot")
                .bearer(service())
                .header("If-None-Match", etag)
                .send();
        assertThat(unchanged.status()).isEqualTo(304);

        killSwitch(key, true);
        Http.Response changed = http.get("/api/v1/flags/snapshot")
                .bearer(service())
                .header("If-None-Match", etag)
                .send();
        assertThat(changed.status()).isEqualTo(200);
        assertThat(changed.json().get("killed").toString()).contains(key);
        killSwitch(key, false);
    }

    @Test
    void badDefinitionsAreClearProblems() {
        assertProblem(
                http.post(FLAGS)
                        .bearer(admin())
                        .json("key", "global", "kind", "boolean")
                        .send(),
                422,
                "reserved_key");
        assertProblem(
                http.post(FLAGS)
                        .bearer(admin())
                        .json("key", "a b", "kind", "boolean")
                        .send(),
                422,
                "invalid_flag");
        assertProblem(
                http.post(FLAGS)
                        .bearer(admin())
                        .json("key", unique("k"), "kind", "maybe")
                        .send(),
                422,
                "invalid_flag");
        assertProblem(
                http.post(FLAGS)
                        .bearer(admin())
                        .body("""
                        {"key": "%s", "kind": "boolean", "strategies": [{"type": "flexible_rollout", "rollout": 101}]}
                        """.formatted(unique("k")))
                        .send(),
                422,
                "invalid_flag");
        assertProblem(
                http.post(FLAGS)
                        .bearer(admin())
                        .body("""
                        {"key": "%s", "kind": "boolean", "strategies": [{"type": "default", "constraints":
                          [{"context_name": "v", "operator": "SEMVER_GT", "value": "v1"}]}]}
                        """.formatted(unique("k")))
                        .send(),
                422,
                "invalid_flag");
        assertProblem(
                http.post(FLAGS)
                        .bearer(admin())
                        .body("""
                        {"key": "%s", "kind": "boolean", "strategies": [{"type": "default", "segments": ["nope-%s"]}]}
                        """.formatted(unique("k"), unique("s")))
                        .send(),
                422,
                "unknown_segment");
        assertProblem(
                http.post(FLAGS)
                        .bearer(admin())
                        .json("key", unique("k"), "kind", "boolean", "colour", "red")
                        .send(),
                400,
                "validation_failed");
        assertProblem(
                http.post(EVALUATE).bearer(service()).json("context", "me").send(), 400, "validation_failed");
        String key = unique("dup");
        create("{\"key\": \"" + key + "\", \"kind\": \"boolean\"}");
        assertProblem(
                http.post(FLAGS)
                        .bearer(admin())
                        .json("key", key, "kind", "boolean")
                        .send(),
                409,
                "flag_exists");
        assertProblem(
                http.post(KILL + "a%20b").bearer(admin()).json("active", true).send(), 422, "invalid_name");
        assertProblem(
                http.post("/api/v1/admin/flag-imports")
                        .bearer(admin())
                        .body("{\"toggles\": []}")
                        .send(),
                422,
                "invalid_unleash_document");
    }

    @Test
    void onlyAdminsManageFlagsAndOnlyServiceKeysEvaluate() {
        String user = new TestAccounts(http, SMTP).create("flag-user").accessToken();
        assertProblem(http.get(FLAGS).bearer(user).send(), 403, "forbidden");
        assertProblem(
                http.post(KILL + "global").bearer(user).json("active", true).send(), 403, "forbidden");
        assertProblem(http.post(EVALUATE).bearer(user).body("{\"context\": {}}").send(), 403, "forbidden");
        assertProblem(
                http.post(EVALUATE).bearer(admin()).body("{\"context\": {}}").send(), 403, "forbidden");
        assertProblem(http.get(FLAGS).bearer(service()).send(), 403, "forbidden");
        assertProblem(http.post(EVALUATE).body("{\"context\": {}}").send(), 401, "unauthenticated");
    }
}
