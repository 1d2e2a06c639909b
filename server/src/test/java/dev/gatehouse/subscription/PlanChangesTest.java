package dev.gatehouse.subscription;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.support.Http;
import dev.gatehouse.support.TestCatalog;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Subscriptions over HTTP: every organization starts on the free plan with its subscription; members with
 * billing.manage move to free plans (a downgrade waits for the end of the period, an upgrade applies at once),
 * paid plans are an admin's override with an audited reason, and the entitlement check follows each change.
 */
class PlanChangesTest extends SubscriptionEndToEndTest {

    @Test
    void everyOrganizationStartsOnTheFreePlan() {
        User owner = user("sub-start");
        JsonNode personal = subscriptionOf(owner, owner.personalOrg());
        assertThat(personal.get("plan").asString()).isEqualTo("free");
        assertThat(personal.get("effective_plan").asString()).isEqualTo("free");
        assertThat(personal.get("state").asString()).isEqualTo("active");
        assertThat(personal.has("scheduled_plan")).isFalse();
        UUID team = createOrg(owner, "Team on free");
        JsonNode created = subscriptionOf(owner, team);
        assertThat(created.get("plan").asString()).isEqualTo("free");
        Duration period = Duration.between(
                java.time.Instant.parse(created.get("current_period_start").asString()),
                java.time.Instant.parse(created.get("current_period_end").asString()));
        assertThat(period).isBetween(Duration.ofDays(28), Duration.ofDays(31));
        assertThat(db.sql("select count(*) from subscriptions where org_id = :org")
                        .param("org", team)
                        .query(Integer.class)
                        .single())
                .isOne();
    }

    @Test
    void theFeatureCheckAnswers402OnFreeWithTheUpgradeAnd200AfterTheUpgrade() {
        User owner = user("sub-check");
        UUID orgId = owner.personalOrg();
        String service = serviceKey();

        Http.Response included = check(service, orgId, "api_access");
        assertThat(included.status()).as(included.toString()).isEqualTo(200);
        assertThat(included.json().get("allowed").asBoolean()).isTrue();
        assertThat(included.json().get("plan").asString()).isEqualTo("free");

        Http.Response refused = check(service, orgId, "priority_support");
        assertProblem(refused, 402, "feature_not_in_plan");
        assertThat(refused.json().get("plan").asString()).isEqualTo("free");
        assertThat(refused.json().get("feature").asString()).isEqualTo("priority_support");
        assertThat(refused.json().get("upgrade_plans").valueStream().map(JsonNode::asString))
                .containsExactly("pro", "enterprise");
        assertThat(refused.json().get("upgrade_url").asString()).isEqualTo("https://example.com/pricing");
        assertThat(check(owner.token(), orgId, "priority_support").status())
                .as("a member's own token gets the same answer")
                .isEqualTo(402);

        Http.Response upgraded = overrideTo(admin(), orgId, "pro");
        assertThat(upgraded.status()).as(upgraded.toString()).isEqualTo(200);
        assertThat(upgraded.json().get("plan").asString()).isEqualTo("pro");
        Http.Response allowed = check(service, orgId, "priority_support");
        assertThat(allowed.status()).as(allowed.toString()).isEqualTo(200);
        assertThat(allowed.json().get("plan").asString()).isEqualTo("pro");
        assertProblem(check(service, orgId, "dedicated_support"), 402, "feature_not_in_plan");
        assertThat(check(service, orgId, "dedicated_support")
                        .json()
                        .get("upgrade_plans")
                        .size())
                .isEqualTo(1);
    }

    @Test
    void theCheckRefusesWhatItCannotAnswer() {
        User owner = user("sub-check-bad");
        User outsider = user("sub-check-outsider");
        String service = serviceKey();
        assertProblem(check(service, owner.personalOrg(), "teleport"), 422, "unknown_feature");
        assertProblem(check(service, UUID.randomUUID(), "api_access"), 404, "not_found");
        assertProblem(check(service, owner.personalOrg(), "Not A Key"), 400, "validation_failed");
        Http.Response noOrg =
                http.post(CHECK).bearer(service).json("feature", "api_access").send();
        assertProblem(noOrg, 400, "validation_failed");
        // A person outside the organization learns nothing, whatever the feature.
        assertProblem(check(outsider.token(), owner.personalOrg(), "api_access"), 404, "not_found");
        assertProblem(check(outsider.token(), owner.personalOrg(), "Not A Key"), 404, "not_found");
        assertThat(http.post(CHECK)
                        .json("org", owner.personalOrg().toString(), "feature", "api_access")
                        .send()
                        .status())
                .isEqualTo(401);
    }

    @Test
    void membersMoveToFreePlansOnlyAndADowngradeWaitsForTheEndOfThePeriod() {
        User owner = user("sub-owner");
        User billing = user("sub-billing");
        User member = user("sub-member");
        User outsider = user("sub-outsider");
        UUID orgId = createOrg(owner, "Downgraders");
        join(owner, orgId, billing, "billing");
        join(owner, orgId, member, "member");
        String service = serviceKey();

        assertProblem(change(billing, orgId, "pro"), 403, "paid_plan_needs_admin");
        assertProblem(change(member, orgId, "free"), 403, "forbidden");
        assertProblem(change(outsider, orgId, "free"), 404, "not_found");
        assertProblem(http.get(subscription(orgId)).bearer(outsider.token()).send(), 404, "not_found");
        assertProblem(change(owner, orgId, "gold"), 422, "unknown_plan");
        assertThat(change(member, orgId, "free").status()).isEqualTo(403);
        assertThat(subscriptionOf(member, orgId).get("plan").asString())
                .as("any member reads it")
                .isEqualTo("free");

        assertThat(overrideTo(admin(), orgId, "pro").status()).isEqualTo(200);
        Http.Response scheduled = change(billing, orgId, "free");
        assertThat(scheduled.status()).as(scheduled.toString()).isEqualTo(200);
        assertThat(scheduled.json().get("plan").asString())
                .as("still pro until the period ends")
                .isEqualTo("pro");
        assertThat(scheduled.json().get("scheduled_plan").asString()).isEqualTo("free");
        assertThat(check(service, orgId, "priority_support").status()).isEqualTo(200);

        // Asking for the current plan drops the scheduled downgrade; asking again schedules it again.
        Http.Response kept = change(owner, orgId, "pro");
        assertThat(kept.status()).as(kept.toString()).isEqualTo(200);
        assertThat(kept.json().has("scheduled_plan")).isFalse();
        assertThat(change(owner, orgId, "free").json().get("scheduled_plan").asString())
                .isEqualTo("free");

        JsonNode before = subscriptionOf(owner, orgId);
        java.time.Instant end =
                java.time.Instant.parse(before.get("current_period_end").asString());
        clock.advance(Duration.between(java.time.Instant.now(), end).plusMinutes(1));
        renewals.run();
        JsonNode after = subscriptionOf(signedInAgain(owner), orgId);
        assertThat(after.get("plan").asString()).isEqualTo("free");
        assertThat(after.has("scheduled_plan")).isFalse();
        assertThat(after.get("current_period_start").asString())
                .isEqualTo(before.get("current_period_end").asString());
        assertProblem(check(service, orgId, "priority_support"), 402, "feature_not_in_plan");
    }

    @Test
    void anAdminOverrideNeedsAReasonAndIsAudited() {
        User owner = user("sub-override");
        String admin = admin();
        assertProblem(
                http.post(override(owner.personalOrg()))
                        .bearer(admin)
                        .json("plan", "pro")
                        .send(),
                400,
                "validation_failed");
        assertProblem(
                http.post(override(owner.personalOrg()))
                        .bearer(admin)
                        .json("plan", "pro", "reason", "   ")
                        .send(),
                400,
                "validation_failed");
        assertProblem(overrideTo(admin, owner.personalOrg(), "gold"), 422, "unknown_plan");
        assertProblem(overrideTo(admin, UUID.randomUUID(), "pro"), 404, "not_found");
        assertProblem(overrideTo(owner.token(), owner.personalOrg(), "pro"), 403, "forbidden");

        Http.Response r = http.post(override(owner.personalOrg()))
                .bearer(admin)
                .json("plan", "enterprise", "reason", "Signed contract #42")
                .send();
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.json().get("plan").asString()).isEqualTo("enterprise");
        JsonNode audit = http.get("/api/v1/admin/audit-events?action=subscription.overridden&target_type=organization"
                        + "&target_id=" + owner.personalOrg())
                .bearer(admin)
                .send()
                .json()
                .get("data");
        assertThat(audit.size()).isEqualTo(1);
        assertThat(audit.get(0).get("details").get("reason").asString()).isEqualTo("Signed contract #42");
        assertThat(audit.get(0).get("details").get("to_plan").asString()).isEqualTo("enterprise");
    }

    @Test
    void theCatalogCannotDropAPlanOrganizationsAreOn() {
        User owner = user("sub-catalog");
        String admin = admin();
        assertThat(overrideTo(admin, owner.personalOrg(), "enterprise").status())
                .isEqualTo(200);
        try {
            String shipped = TestCatalog.shipped();
            TestCatalog.write(shipped.substring(0, shipped.indexOf("  enterprise:")));
            Http.Response r =
                    http.post("/api/v1/admin/catalog/reload").bearer(admin).send();
            assertProblem(r, 422, "catalog_invalid");
            assertThat(r.json().get("catalog_errors").get(0).get("path").asString())
                    .isEqualTo("plans.enterprise");
            assertThat(r.json().get("catalog_errors").get(0).get("reason").asString())
                    .contains("subscribed to it");
        } finally {
            TestCatalog.restore();
            assertThat(overrideTo(admin, owner.personalOrg(), "free").status()).isEqualTo(200);
        }
    }

    @Test
    void aDeletedOrganizationsSubscriptionEnds() {
        User owner = user("sub-deleted");
        UUID orgId = createOrg(owner, "Short-lived");
        String service = serviceKey();
        assertThat(overrideTo(admin(), orgId, "pro").status()).isEqualTo(200);
        assertThat(check(service, orgId, "api_access").status()).isEqualTo(200);
        assertThat(http.delete("/api/v1/orgs/" + orgId)
                        .bearer(owner.token())
                        .send()
                        .status())
                .isEqualTo(204);
        assertProblem(check(service, orgId, "api_access"), 404, "not_found");
        assertThat(db.sql("select state from subscriptions where org_id = :org")
                        .param("org", orgId)
                        .query(String.class)
                        .single())
                .isEqualTo("expired");
    }

    Http.Response change(User who, UUID orgId, String plan) {
        return http.post(subscription(orgId) + "/change")
                .bearer(who.token())
                .json("plan", plan)
                .send();
    }
}
