package dev.gatehouse.subscription;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.support.Http;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Trials over HTTP: a billing member starts one from the free plan, the plan's features apply at once for its
 * {@code trial_days}, each plan's trial is had once, and an unconverted trial expires back to the default plan's
 * entitlements; moving to a free plan ends a trial at once.
 */
class TrialsTest extends SubscriptionEndToEndTest {

    @Test
    void aTrialGivesThePlanForItsDaysOnceThenExpiresToTheDefaultPlan() {
        User owner = user("trial-owner");
        User billing = user("trial-billing");
        User member = user("trial-member");
        User outsider = user("trial-outsider");
        UUID orgId = createOrg(owner, "Triallers");
        join(owner, orgId, billing, "billing");
        join(owner, orgId, member, "member");
        String service = serviceKey();

        assertProblem(trial(member, orgId, "pro"), 403, "forbidden");
        assertProblem(trial(outsider, orgId, "pro"), 404, "not_found");
        assertProblem(trial(owner, orgId, "gold"), 422, "unknown_plan");
        assertProblem(trial(owner, orgId, "free"), 422, "no_trial");
        assertProblem(check(service, orgId, "priority_support"), 402, "feature_not_in_plan");

        Instant before = Instant.now();
        Http.Response started = trial(billing, orgId, "pro");
        assertThat(started.status()).as(started.toString()).isEqualTo(200);
        assertThat(started.json().get("state").asString()).isEqualTo("trialing");
        assertThat(started.json().get("plan").asString()).isEqualTo("pro");
        assertThat(started.json().get("effective_plan").asString()).isEqualTo("pro");
        Instant end = Instant.parse(started.json().get("current_period_end").asString());
        assertThat(end)
                .as("pro's 14 trial days")
                .isBetween(
                        before.plus(Duration.ofDays(14)).minusSeconds(5),
                        Instant.now().plus(Duration.ofDays(14)));
        assertThat(check(service, orgId, "priority_support").status()).isEqualTo(200);

        assertProblem(trial(owner, orgId, "enterprise"), 409, "trial_unavailable");

        clock.advance(Duration.between(Instant.now(), end).plusMinutes(1));
        renewals.run();
        JsonNode expired = subscriptionOf(signedInAgain(owner), orgId);
        assertThat(expired.get("state").asString()).isEqualTo("expired");
        assertThat(expired.get("effective_plan").asString()).isEqualTo("free");
        assertProblem(check(service, orgId, "priority_support"), 402, "feature_not_in_plan");

        User ownerNow = signedInAgain(owner);
        assertProblem(trial(ownerNow, orgId, "pro"), 409, "trial_used");
        Http.Response enterprise = trial(ownerNow, orgId, "enterprise");
        assertThat(enterprise.status())
                .as("another plan's trial, from an ended subscription: " + enterprise)
                .isEqualTo(200);
        assertThat(enterprise.json().get("state").asString()).isEqualTo("trialing");
    }

    @Test
    void movingToAFreePlanEndsATrialAtOnce() {
        User owner = user("trial-ender");
        UUID orgId = createOrg(owner, "Quitters");
        String service = serviceKey();
        assertThat(trial(owner, orgId, "pro").status()).isEqualTo(200);

        Http.Response ended = http.post(subscription(orgId) + "/change")
                .bearer(owner.token())
                .json("plan", "free")
                .send();
        assertThat(ended.status()).as(ended.toString()).isEqualTo(200);
        assertThat(ended.json().get("state").asString()).isEqualTo("active");
        assertThat(ended.json().get("plan").asString()).isEqualTo("free");
        assertThat(ended.json().has("scheduled_plan")).isFalse();
        assertProblem(check(service, orgId, "priority_support"), 402, "feature_not_in_plan");
        assertProblem(trial(owner, orgId, "pro"), 409, "trial_used");
    }

    @Test
    void aTrialStartsOnlyFromAFreePlanAndAnOverrideConvertsIt() {
        User owner = user("trial-paid");
        UUID orgId = createOrg(owner, "Payers");
        assertThat(overrideTo(admin(), orgId, "pro").status()).isEqualTo(200);
        assertProblem(trial(owner, orgId, "enterprise"), 409, "trial_unavailable");

        UUID other = createOrg(owner, "Converts");
        assertThat(trial(owner, other, "pro").status()).isEqualTo(200);
        Http.Response converted = overrideTo(admin(), other, "pro");
        assertThat(converted.status()).as(converted.toString()).isEqualTo(200);
        JsonNode now = subscriptionOf(owner, other);
        assertThat(now.get("state").asString()).isEqualTo("active");
        assertThat(now.get("plan").asString()).isEqualTo("pro");
    }

    Http.Response trial(User who, UUID orgId, String plan) {
        return http.post(subscription(orgId) + "/trial")
                .bearer(who.token())
                .json("plan", plan)
                .send();
    }
}
