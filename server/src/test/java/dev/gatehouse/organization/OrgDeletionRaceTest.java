package dev.gatehouse.organization;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.support.Http;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * Creating inside an organization races its deletion: whatever the interleaving, nothing created survives the
 * organization (an API key stays live, an invitation stays open). Each round starts creators and one deletion
 * at the same instant, so the creations land before, during and after the deletion.
 */
class OrgDeletionRaceTest extends OrgEndToEndTest {

    static final int ROUNDS = 20;
    static final int CREATORS = 8;

    @Test
    void nothingCreatedWhileAnOrganizationIsDeletedOutlivesIt() throws Exception {
        User owner = user("race-owner");
        List<UUID> orgs = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(CREATORS + 1)) {
            for (int round = 0; round < ROUNDS; round++) {
                UUID orgId = createOrg(owner, "Race " + round);
                orgs.add(orgId);
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Http.Response>> creations = new ArrayList<>();
                for (int i = 0; i < CREATORS; i++) {
                    String name = "race-" + round + "-" + i;
                    boolean key = i % 2 == 0;
                    creations.add(pool.submit(() -> {
                        start.await();
                        return key
                                ? http.post(apiKeys(orgId))
                                        .bearer(owner.token())
                                        .json("name", name)
                                        .send()
                                : invite(owner, orgId, name + "@example.com", "member");
                    }));
                }
                Future<Http.Response> deletion = pool.submit(() -> {
                    start.await();
                    return http.delete(org(orgId)).bearer(owner.token()).send();
                });
                start.countDown();
                Http.Response deleted = deletion.get();
                assertThat(deleted.status()).as(deleted.toString()).isEqualTo(204);
                for (Future<Http.Response> creation : creations) {
                    Http.Response r = creation.get();
                    // Before the deletion: created; after it: the organization is gone.
                    assertThat(r.status()).as(r.toString()).isIn(201, 404);
                }
            }
        }
        List<UUID> withLiveKeys =
                db.sql("""
                select distinct org_id from api_keys where org_id in (:orgs) and revoked_at is null
                """).param("orgs", orgs).query(UUID.class).list();
        List<UUID> withOpenInvitations =
                db.sql("""
                select distinct org_id from org_invitations
                where org_id in (:orgs) and accepted_at is null and revoked_at is null
                """).param("orgs", orgs).query(UUID.class).list();
        SoftAssertions.assertSoftly(soft -> {
            soft.assertThat(withLiveKeys)
                    .as("rounds of %s whose deleted organization kept a live API key", ROUNDS)
                    .isEmpty();
            soft.assertThat(withOpenInvitations)
                    .as("rounds of %s whose deleted organization kept an open invitation", ROUNDS)
                    .isEmpty();
        });
        assertThat(db.sql("select count(*) from organizations where id in (:orgs) and deleted_at is null")
                        .param("orgs", orgs)
                        .query(Integer.class)
                        .single())
                .isZero();
        // The race was real: some creations got in before the deletion, and were ended with it.
        assertThat(db.sql("select count(*) from api_keys where org_id in (:orgs)")
                        .param("orgs", orgs)
                        .query(Integer.class)
                        .single())
                .isPositive();
        assertThat(db.sql("select count(*) from org_invitations where org_id in (:orgs)")
                        .param("orgs", orgs)
                        .query(Integer.class)
                        .single())
                .isPositive();
    }
}
