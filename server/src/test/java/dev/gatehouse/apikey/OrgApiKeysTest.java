package dev.gatehouse.apikey;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.support.Http;
import dev.gatehouse.support.Poll;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Organizations' API keys over HTTP: creation shows the secret once, lists never do, revocation and expiry work. */
class OrgApiKeysTest extends ApiKeyEndToEndTest {

    private static byte[] sha256(String s) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theSecretIsShownOnceAndOnlyItsHashIsStored() throws Exception {
        User owner = user("keys-owner");
        JsonNode created =
                orgKey(owner, owner.personalOrg(), "  CI deploys  ", "scopes", List.of("read", "usage:write"));
        String secret = created.get("key").asString();
        String id = created.get("id").asString();

        assertThat(secret).matches("gh_pk_[A-Za-z0-9_-]{43}");
        assertThat(created.get("prefix").asString()).isEqualTo(secret.substring(0, 12));
        assertThat(created.get("name").asString()).isEqualTo("CI deploys");
        assertThat(created.get("org_id").asString())
                .isEqualTo(owner.personalOrg().toString());
        assertThat(created.get("scopes").valueStream().map(JsonNode::asString)).containsExactly("read", "usage:write");
        assertThat(created.get("status").asString()).isEqualTo("active");
        assertThat(created.get("created_by").asString()).isEqualTo(owner.id().toString());
        assertThat(created.has("expires_at")).isFalse();
        assertThat(created.has("last_used_at")).isFalse();

        Http.Response list =
                http.get(apiKeys(owner.personalOrg())).bearer(owner.token()).send();
        assertThat(list.status()).as(list.toString()).isEqualTo(200);
        assertThat(list.body()).doesNotContain(secret).doesNotContain(secret.substring(12));
        JsonNode listed = list.json().get("data").get(0);
        assertThat(listed.get("id").asString()).isEqualTo(id);
        assertThat(listed.has("key")).isFalse();
        assertThat(listed.get("prefix").asString()).isEqualTo(secret.substring(0, 12));

        // The table holds the SHA-256 of the secret and nothing from which the rest of it could be read.
        Map<String, Object> row = db.sql("select * from api_keys where id = :id")
                .param("id", UUID.fromString(id))
                .query()
                .singleRow();
        assertThat((byte[]) row.get("secret_hash")).isEqualTo(sha256(secret));
        for (Object value : row.values()) {
            String text =
                    value instanceof byte[] b ? new String(b, StandardCharsets.ISO_8859_1) : String.valueOf(value);
            assertThat(text).doesNotContain(secret.substring(12));
        }
        assertThat(db.sql("select count(*) from api_keys where encode(secret_hash, 'hex') = :hex")
                        .param("hex", HexFormat.of().formatHex(sha256(secret)))
                        .query(Integer.class)
                        .single())
                .isEqualTo(1);

        // The audit log has the creation, by the owner, of this key.
        Map<String, Object> audit = db.sql("""
                select actor_id, target_type, details::text as details from audit_events
                where action = 'api_key.created' and target_id = :id
                """).param("id", id).query().singleRow();
        assertThat(audit.get("actor_id")).isEqualTo(owner.id());
        assertThat(audit.get("target_type")).isEqualTo("api_key");
        assertThat((String) audit.get("details")).contains("usage:write").doesNotContain(secret.substring(12));
    }

    @Test
    void aValidKeyVerifiesWithItsOrganizationAndScopes() {
        User owner = user("keys-verify");
        String service = serviceSecret();
        JsonNode created = orgKey(owner, owner.personalOrg(), "scoped", "scopes", List.of("read", "usage:write"));

        JsonNode answer = verified(service, created.get("key").asString());
        assertThat(answer.get("valid").asBoolean()).isTrue();
        assertThat(answer.get("key_id").asString()).isEqualTo(created.get("id").asString());
        assertThat(answer.get("org_id").asString())
                .isEqualTo(owner.personalOrg().toString());
        assertThat(answer.get("scopes").valueStream().map(JsonNode::asString)).containsExactly("read", "usage:write");
        assertThat(answer.get("plan").asString()).isEqualTo("free");
        assertThat(answer.get("rate_limit").get("allowed").asBoolean()).isTrue();
        assertThat(answer.get("rate_limit").get("policy").asString()).isEqualTo("free");
        assertThat(answer.has("code")).isFalse();
        assertThat(answer.has("expires_at")).isFalse();
    }

    @Test
    void creatingAKeyNeedsARecentProofOfIdentity() {
        dev.gatehouse.support.TestAccounts accounts = new dev.gatehouse.support.TestAccounts(http, SMTP);
        dev.gatehouse.support.TestAccounts.Account a = accounts.create("keys-stepup");
        UUID org = UUID.fromString(http.get("/api/v1/orgs")
                .bearer(a.accessToken())
                .send()
                .json()
                .get("data")
                .get(0)
                .get("id")
                .asString());
        // Eleven minutes on, a refreshed token still works, but a refresh proves nothing about the person.
        clock.advance(Duration.ofMinutes(11));
        String refreshed = http.post("/api/v1/auth/token/refresh")
                .json("refresh_token", a.refreshToken())
                .send()
                .json()
                .get("access_token")
                .asString();
        Http.Response refused =
                http.post(apiKeys(org)).bearer(refreshed).json("name", "ci").send();
        assertThat(refused.status()).as(refused.toString()).isEqualTo(403);
        assertThat(refused.code()).isEqualTo("step_up_required");
        assertThat(http.get(apiKeys(org)).bearer(refreshed).send().json().get("data"))
                .isEmpty();

        Http.Response stepUp = http.post("/api/v1/me/step-up")
                .bearer(refreshed)
                .json("password", dev.gatehouse.support.TestAccounts.PASSWORD)
                .send();
        assertThat(stepUp.status()).as(stepUp.toString()).isEqualTo(200);
        Http.Response created =
                http.post(apiKeys(org)).bearer(refreshed).json("name", "ci").send();
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
    }

    @Test
    void anExpiringKeyWorksUntilItsExpiryAndNotAfter() {
        User owner = user("keys-expiry");
        String service = serviceSecret();
        Instant expiresAt =
                clock.instant().plus(Duration.ofDays(30)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        JsonNode created = orgKey(owner, owner.personalOrg(), "monthly", "expires_at", expiresAt.toString());
        String secret = created.get("key").asString();
        assertThat(Instant.parse(created.get("expires_at").asString())).isEqualTo(expiresAt);

        JsonNode before = verified(service, secret);
        assertThat(before.get("valid").asBoolean()).isTrue();
        assertThat(Instant.parse(before.get("expires_at").asString())).isEqualTo(expiresAt);

        clock.advance(Duration.ofDays(30).minusSeconds(5));
        assertThat(verified(service, secret).get("valid").asBoolean()).isTrue();

        // Past the expiry the cached entry answers expired: expiry is judged on every hit, not cached.
        clock.advance(Duration.ofSeconds(10));
        JsonNode after = verified(service, secret);
        assertThat(after.get("valid").asBoolean()).isFalse();
        assertThat(after.get("code").asString()).isEqualTo("expired");
        assertThat(after.has("org_id")).isFalse();

        User again = signInAgain(owner);
        JsonNode listed = http.get(apiKeys(owner.personalOrg()))
                .bearer(again.token())
                .send()
                .json()
                .get("data")
                .get(0);
        assertThat(listed.get("status").asString()).isEqualTo("expired");
    }

    @Test
    void aRevokedKeyStopsVerifyingAndStaysListedAsRevoked() {
        User owner = user("keys-revoke");
        String service = serviceSecret();
        JsonNode created = orgKey(owner, owner.personalOrg(), "short-lived");
        String secret = created.get("key").asString();
        String id = created.get("id").asString();
        assertThat(verified(service, secret).get("valid").asBoolean()).isTrue();

        Http.Response revoked = http.delete(apiKeys(owner.personalOrg()) + "/" + id)
                .bearer(owner.token())
                .send();
        assertThat(revoked.status()).as(revoked.toString()).isEqualTo(204);

        JsonNode answer = verified(service, secret);
        assertThat(answer.get("valid").asBoolean()).isFalse();
        assertThat(answer.get("code").asString()).isEqualTo("revoked");

        // Revoking again changes nothing and is not recorded twice.
        assertThat(http.delete(apiKeys(owner.personalOrg()) + "/" + id)
                        .bearer(owner.token())
                        .send()
                        .status())
                .isEqualTo(204);
        JsonNode listed = http.get(apiKeys(owner.personalOrg()))
                .bearer(owner.token())
                .send()
                .json()
                .get("data")
                .get(0);
        assertThat(listed.get("status").asString()).isEqualTo("revoked");
        assertThat(listed.get("revoked_at").asString()).isNotBlank();
        assertThat(db.sql("select count(*) from audit_events where action = 'api_key.revoked' and target_id = :id")
                        .param("id", id)
                        .query(Integer.class)
                        .single())
                .isEqualTo(1);
        assertThat(db.sql("select revoked_by from api_keys where id = :id")
                        .param("id", UUID.fromString(id))
                        .query(UUID.class)
                        .single())
                .isEqualTo(owner.id());
    }

    @Test
    void lastUsedIsWrittenByTheNextFlushNotByEachVerification() {
        User owner = user("keys-used");
        String service = serviceSecret();
        JsonNode created = orgKey(owner, owner.personalOrg(), "busy");
        UUID id = UUID.fromString(created.get("id").asString());
        Timestamp changedAt = db.sql("select changed_at from api_keys where id = :id")
                .param("id", id)
                .query(Timestamp.class)
                .single();
        Instant before = clock.instant().minusSeconds(1);
        for (int i = 0; i < 20; i++) verified(service, created.get("key").asString());

        Timestamp lastUsed = Poll.until(
                Duration.ofSeconds(20),
                "last_used_at written by a flush",
                () -> db.sql("select last_used_at from api_keys where id = :id")
                        .param("id", id)
                        .query(Timestamp.class)
                        .optional()
                        .orElse(null));
        assertThat(lastUsed.toInstant()).isAfter(before);
        // A last-used write is not a change the caches need to hear about.
        assertThat(db.sql("select changed_at from api_keys where id = :id")
                        .param("id", id)
                        .query(Timestamp.class)
                        .single())
                .isEqualTo(changedAt);
        JsonNode listed = http.get(apiKeys(owner.personalOrg()))
                .bearer(owner.token())
                .send()
                .json()
                .get("data")
                .get(0);
        assertThat(Instant.parse(listed.get("last_used_at").asString())).isEqualTo(lastUsed.toInstant());
    }

    @Test
    void anOrganizationHoldsAtMostOneHundredActiveKeys() {
        User owner = user("keys-cap");
        UUID org = owner.personalOrg();
        // Through the table is faster than 99 requests; the 100th comes through the API like any other.
        List<String> ids = fillers(owner, org, 99);
        JsonNode hundredth = orgKey(owner, org, "the hundredth");
        Http.Response refused = http.post(apiKeys(org))
                .bearer(owner.token())
                .json("name", "one too many")
                .send();
        assertProblem(refused, 409, "api_key_limit_reached");
        assertThat(refused.json().get("limit").asInt()).isEqualTo(100);

        // Revoked keys do not count.
        assertThat(http.delete(apiKeys(org) + "/" + hundredth.get("id").asString())
                        .bearer(owner.token())
                        .send()
                        .status())
                .isEqualTo(204);
        orgKey(owner, org, "fits again");

        // The list pages through all 101, newest first, without repeats.
        List<String> seen = new ArrayList<>();
        String cursor = null;
        do {
            Http.Response page = http.get(apiKeys(org) + "?limit=40" + (cursor == null ? "" : "&cursor=" + cursor))
                    .bearer(owner.token())
                    .send();
            assertThat(page.status()).as(page.toString()).isEqualTo(200);
            page.json().get("data").forEach(k -> seen.add(k.get("id").asString()));
            cursor = page.json().has("next_cursor")
                    ? page.json().get("next_cursor").asString()
                    : null;
        } while (cursor != null);
        assertThat(seen).hasSize(101).doesNotHaveDuplicates().containsAll(ids);
    }

    @Test
    void concurrentCreationsStopExactlyAtTheCap() throws Exception {
        User owner = user("keys-race");
        UUID org = owner.personalOrg();
        fillers(owner, org, 95);
        List<Future<Integer>> answers = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 12; i++) {
                String name = "racer " + i;
                answers.add(pool.submit(() -> http.post(apiKeys(org))
                        .bearer(owner.token())
                        .json("name", name)
                        .send()
                        .status()));
            }
        }
        List<Integer> statuses = new ArrayList<>();
        for (Future<Integer> answer : answers) statuses.add(answer.get());
        // Count and insert are serialized per organization, so no two creations both see room for one more.
        assertThat(statuses).filteredOn(s -> s == 201).hasSize(5);
        assertThat(statuses).filteredOn(s -> s == 409).hasSize(7);
        assertThat(db.sql("select count(*) from api_keys where org_id = :org and revoked_at is null")
                        .param("org", org)
                        .query(Integer.class)
                        .single())
                .isEqualTo(100);
    }

    /** Keys written straight into the table, for tests that need many; returns their ids. */
    private List<String> fillers(User owner, UUID org, int count) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            UUID id = UUID.randomUUID();
            byte[] hash = new byte[32];
            new java.security.SecureRandom().nextBytes(hash);
            db.sql("""
                    insert into api_keys (id, kind, org_id, name, prefix, secret_hash, created_by, created_at)
                    values (:id, 'org', :org, :name, 'gh_pk_xxxxxx', :hash, :by, now())
                    """)
                    .param("id", id)
                    .param("org", org)
                    .param("name", "filler " + i)
                    .param("hash", hash)
                    .param("by", owner.id())
                    .update();
            ids.add(id.toString());
        }
        return ids;
    }

    @Test
    void deletingAnOrganizationRevokesItsKeys() {
        User owner = user("keys-orgdel");
        String service = serviceSecret();
        Http.Response org = http.post("/api/v1/orgs")
                .bearer(owner.token())
                .json("name", "Short-lived")
                .send();
        assertThat(org.status()).as(org.toString()).isEqualTo(201);
        UUID orgId = UUID.fromString(org.json().get("id").asString());
        String secret = orgKey(owner, orgId, "doomed").get("key").asString();
        assertThat(verified(service, secret).get("valid").asBoolean()).isTrue();

        assertThat(http.delete("/api/v1/orgs/" + orgId)
                        .bearer(owner.token())
                        .send()
                        .status())
                .isEqualTo(204);

        JsonNode answer = verified(service, secret);
        assertThat(answer.get("valid").asBoolean()).isFalse();
        assertThat(answer.get("code").asString()).isEqualTo("revoked");
        assertThat(db.sql("""
                        select count(*) from audit_events where action = 'api_key.revoked'
                        and details->>'org_id' = :org and details->>'reason' = 'organization_deleted'
                        """)
                        .param("org", orgId.toString())
                        .query(Integer.class)
                        .single())
                .isEqualTo(1);
        assertProblem(http.get(apiKeys(orgId)).bearer(owner.token()).send(), 404, "not_found");
    }

    @Test
    void membersListKeysButOnlyOwnersAndAdminsManageThem() {
        User owner = user("keys-team-owner");
        User member = user("keys-team-member");
        User outsider = user("keys-outsider");
        Http.Response org = http.post("/api/v1/orgs")
                .bearer(owner.token())
                .json("name", "Key team")
                .send();
        UUID orgId = UUID.fromString(org.json().get("id").asString());
        Http.Response invited = http.post("/api/v1/orgs/" + orgId + "/members")
                .bearer(owner.token())
                .json("email", member.email(), "role", "member")
                .send();
        assertThat(invited.status()).as(invited.toString()).isEqualTo(201);
        String token = accounts.awaitToken(member.email(), "accept-invitation");
        assertThat(http.post("/api/v1/invitations/" + token + "/accept")
                        .bearer(member.token())
                        .send()
                        .status())
                .isEqualTo(200);
        String id = orgKey(owner, orgId, "team key").get("id").asString();

        assertThat(http.get(apiKeys(orgId)).bearer(member.token()).send().status())
                .isEqualTo(200);
        Http.Response create = http.post(apiKeys(orgId))
                .bearer(member.token())
                .json("name", "mine")
                .send();
        assertProblem(create, 403, "forbidden");
        assertThat(create.json().get("permission").asString()).isEqualTo("api_keys.manage");
        assertProblem(
                http.delete(apiKeys(orgId) + "/" + id).bearer(member.token()).send(), 403, "forbidden");

        for (Http.Request r : List.of(
                http.get(apiKeys(orgId)),
                http.post(apiKeys(orgId)).json("name", "theirs"),
                http.delete(apiKeys(orgId) + "/" + id))) {
            assertProblem(r.bearer(outsider.token()).send(), 404, "not_found");
        }
        // A key of one organization is not found through another the caller manages.
        assertProblem(
                http.delete(apiKeys(outsider.personalOrg()) + "/" + id)
                        .bearer(outsider.token())
                        .send(),
                404,
                "not_found");
        assertThat(db.sql("select revoked_at is null from api_keys where id = :id")
                        .param("id", UUID.fromString(id))
                        .query(Boolean.class)
                        .single())
                .isTrue();
    }
}
