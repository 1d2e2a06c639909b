package dev.gatehouse.onboarding;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.support.Http;
import dev.gatehouse.support.Poll;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Gate checks by the product's backend: 409 naming the missing step until it is done, then 200. */
class GatesEndToEndTest extends OnboardingEndToEndTest {

    String service;

    @BeforeEach
    void serviceKeyAndChecklist() {
        service = serviceKey();
        install(List.of(
                step("profile", 10, true),
                with(step("payments", 40, true), "gates", List.of("publish", "checkout")),
                with(step("project", 30, false), "gates", List.of("publish")),
                with(with(step("vat", 20, false), "gates", List.of("invoice")), "markets", List.of("FR"))));
    }

    @Test
    void aGateNamesTheMissingStepUntilItIsDone() {
        User u = user("gated");
        Http.Response closed = gate(service, u.id(), "publish");
        assertProblem(closed, 409, "onboarding_step_required");
        JsonNode problem = closed.json();
        assertThat(problem.get("gate").asString()).isEqualTo("publish");
        assertThat(problem.get("user").asString()).isEqualTo(u.id().toString());
        assertThat(problem.get("missing_step").asString()).isEqualTo("payments");
        assertThat(problem.get("missing_step_title").asString()).isEqualTo("Title of payments");
        assertThat(problem.get("missing_steps").valueStream().map(JsonNode::asString))
                .containsExactly("payments", "project");
        assertThat(problem.get("detail").asString()).contains("payments", "publish");

        settle(u, "payments", "done");
        assertThat(gate(service, u.id(), "publish").json().get("missing_step").asString())
                .isEqualTo("project");
        Http.Response checkout = gate(service, u.id(), "checkout");
        assertThat(checkout.status()).as(checkout.toString()).isEqualTo(200);

        settle(u, "project", "done");
        Http.Response open = gate(service, u.id(), "publish");
        assertThat(open.status()).as(open.toString()).isEqualTo(200);
        assertThat(open.json().get("allowed").asBoolean()).isTrue();
        assertThat(open.json().get("required_steps").valueStream().map(JsonNode::asString))
                .containsExactly("payments", "project");
        assertThat(open.json().has("bypassed")).isFalse();
    }

    @Test
    void skippingAStepDoesNotOpenItsGate() {
        User u = user("skipper");
        settle(u, "payments", "done");
        settle(u, "project", "skipped");
        Http.Response r = gate(service, u.id(), "publish");
        assertProblem(r, 409, "onboarding_step_required");
        assertThat(r.json().get("missing_step").asString()).isEqualTo("project");
    }

    @Test
    void onlyTheStepsThatApplyToTheUsersMarketGuardAGate() {
        User u = user("market");
        Http.Response elsewhere = gate(service, u.id(), "invoice");
        assertThat(elsewhere.status()).as(elsewhere.toString()).isEqualTo(200);
        assertThat(elsewhere.json().get("required_steps").isEmpty()).isTrue();
        assertThat(gate(service, u.id(), "invoice", "market", "US").status()).isEqualTo(200);
        Http.Response france = gate(service, u.id(), "invoice", "market", "fr");
        assertProblem(france, 409, "onboarding_step_required");
        assertThat(france.json().get("missing_step").asString()).isEqualTo("vat");
    }

    @Test
    void aGateNoStepNamesIsOpenAndAnUnknownUserIs404() {
        User u = user("nameless");
        Http.Response open = gate(service, u.id(), "nothing_guards_this");
        assertThat(open.status()).as(open.toString()).isEqualTo(200);
        assertThat(open.json().get("required_steps").isEmpty()).isTrue();
        assertProblem(gate(service, UUID.randomUUID(), "publish"), 404, "not_found");
    }

    @Test
    void onlyTheBackendChecksGatesAndOnlyPeopleHaveChecklists() {
        User u = user("roles");
        assertProblem(
                http.post(GATES)
                        .bearer(u.token())
                        .json("user", u.id().toString(), "gate", "publish")
                        .send(),
                403,
                "forbidden");
        assertProblem(http.get(ONBOARDING).bearer(service).send(), 403, "forbidden");
        assertProblem(
                http.post(GATES)
                        .json("user", u.id().toString(), "gate", "publish")
                        .send(),
                401,
                "unauthenticated");
    }

    @Test
    void badInputIs400NamingTheField() {
        for (Object[] body : List.of(
                new Object[] {"gate", "publish"},
                new Object[] {"user", "not-a-uuid", "gate", "publish"},
                new Object[] {"user", UUID.randomUUID().toString(), "gate", "Publish Now"},
                new Object[] {"user", UUID.randomUUID().toString(), "gate", "publish", "market", "France"},
                new Object[] {"user", UUID.randomUUID().toString(), "gate", "publish", "role", "OWNER"})) {
            Http.Response r = http.post(GATES).bearer(service).json(body).send();
            assertThat(r.status()).as(r.toString()).isEqualTo(400);
        }
    }

    @Test
    void onboardingsKillSwitchOpensEveryGateOnEveryNodeWithinASecond() {
        User u = user("killed");
        assertProblem(gate(service, u.id(), "publish"), 409, "onboarding_step_required");
        String admin = admin();
        killSwitch(admin, "onboarding.gating", true);
        try {
            Http.Response open = Poll.until(Duration.ofSeconds(5), "the kill switch to open the gate", () -> {
                Http.Response r = gate(service, u.id(), "publish");
                return r.status() == 200 ? r : null;
            });
            assertThat(open.json().get("bypassed").asString()).isEqualTo("kill_switch");
            assertThat(gate(service, u.id(), "checkout").json().get("bypassed").asString())
                    .isEqualTo("kill_switch");
        } finally {
            killSwitch(admin, "onboarding.gating", false);
        }
        Poll.untilTrue(
                Duration.ofSeconds(5),
                "the gate to close again",
                () -> gate(service, u.id(), "publish").status() == 409);
    }

    @Test
    void theBypassFlagOpensTheGatesItIsOnFor() {
        User vip = user("vip");
        User other = user("regular");
        String admin = admin();
        Http.Response created = http.post("/api/v1/admin/flags")
                .bearer(admin)
                .body("""
                        {"key": "onboarding.gating.bypass", "kind": "boolean", "enabled": true,
                         "strategies": [{"type": "user_ids", "user_ids": ["%s"],
                           "constraints": [{"context_name": "gate", "operator": "IN", "values": ["publish"]}]}]}
                        """.formatted(vip.id()))
                .send();
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        try {
            Http.Response open = Poll.until(Duration.ofSeconds(5), "the flag to open the gate", () -> {
                Http.Response r = gate(service, vip.id(), "publish");
                return r.status() == 200 ? r : null;
            });
            assertThat(open.json().get("bypassed").asString()).isEqualTo("flag");
            assertProblem(gate(service, vip.id(), "checkout"), 409, "onboarding_step_required");
            assertProblem(gate(service, other.id(), "publish"), 409, "onboarding_step_required");
        } finally {
            assertThat(http.delete("/api/v1/admin/flags/onboarding.gating.bypass")
                            .bearer(admin)
                            .send()
                            .status())
                    .isEqualTo(204);
        }
    }

    private void killSwitch(String admin, String name, boolean active) {
        Http.Response r = http.post("/api/v1/admin/kill-switches/" + name)
                .bearer(admin)
                .json("active", active)
                .send();
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
    }
}
