package dev.gatehouse.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.support.EndToEndTest;
import dev.gatehouse.support.Http;
import dev.gatehouse.support.TestAccounts;
import dev.gatehouse.support.TestClock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/** Sign-in, 2FA and account events land in the audit log, read back through the admin search API. */
class IdentityAuditTrailTest extends EndToEndTest {

    @Autowired
    TestClock clock;

    private TestAccounts accounts;
    private String admin;

    @BeforeEach
    void setUp() {
        accounts = new TestAccounts(http, SMTP);
        admin = accounts.admin().accessToken();
    }

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    /** The audit events that target the user, oldest first. */
    private List<JsonNode> eventsFor(UUID user) {
        List<JsonNode> events = new ArrayList<>();
        String cursor = null;
        do {
            Http.Response r = http.get("/api/v1/admin/audit-events?limit=200&target_type=user&target_id=" + user
                            + (cursor == null ? "" : "&cursor=" + cursor))
                    .bearer(admin)
                    .send();
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            r.json().get("data").forEach(events::add);
            JsonNode next = r.json().get("next_cursor");
            cursor = next == null || next.isNull() ? null : next.asString();
        } while (cursor != null);
        return events.reversed();
    }

    private List<String> actionsFor(UUID user) {
        return eventsFor(user).stream().map(e -> e.get("action").asString()).toList();
    }

    /** The details of each of the user's audit events with this action, oldest first, as JSON text. */
    private List<String> detailsOf(UUID user, String action) {
        return eventsFor(user).stream()
                .filter(e -> e.get("action").asString().equals(action))
                .map(e -> e.get("details").toString())
                .toList();
    }

    private UUID idOf(String accessToken) {
        return UUID.fromString(http.get("/api/v1/me")
                .bearer(accessToken)
                .send()
                .json()
                .get("id")
                .asString());
    }

    @Test
    void signInLifecycleIsOnRecord() {
        TestAccounts.Account a = accounts.create("audited");
        UUID id = idOf(a.accessToken());
        assertThat(http.post("/api/v1/auth/login")
                        .json("email", a.email(), "password", "Not the password at all 1")
                        .send()
                        .status())
                .isEqualTo(401);
        TestAccounts.Account again = accounts.login(a.email(), TestAccounts.PASSWORD);
        Http.Response changed = http.post("/api/v1/me/password")
                .bearer(again.accessToken())
                .json("current_password", TestAccounts.PASSWORD, "new_password", "Brand new lantern otters 77")
                .send();
        assertThat(changed.status()).isEqualTo(204);
        assertThat(http.post("/api/v1/auth/logout")
                        .json("refresh_token", again.refreshToken())
                        .send()
                        .status())
                .isLessThan(300);

        assertThat(actionsFor(id))
                .containsSubsequence(
                        "user.registered",
                        "auth.login_succeeded",
                        "auth.login_failed",
                        "auth.login_succeeded",
                        "user.password_changed",
                        "auth.logout");
        // The details are the audit log's contract, whatever the events' shapes.
        assertThat(detailsOf(id, "auth.login_failed"))
                .containsExactly("{\"email\":\"" + a.email() + "\",\"reason\":\"invalid_credentials\"}");
        assertThat(detailsOf(id, "auth.login_succeeded"))
                .hasSize(2)
                .allMatch(d -> d.contains("\"method\":\"password\""));
        assertThat(detailsOf(id, "user.password_changed")).containsExactly("{\"sessions_revoked\":1}");
    }

    @Test
    void twoFactorChangesAndChallengesAreOnRecord() {
        TwoFactorAccounts twoFactor = new TwoFactorAccounts(http, accounts, clock);
        TwoFactorAccounts.Enrolled e = twoFactor.create("audited-2fa");
        UUID id = twoFactor.userId(e.accessToken());
        String mfaToken = twoFactor.mfaToken(e.email());
        assertThat(twoFactor.loginMfa(mfaToken, "000000").status()).isEqualTo(401);
        twoFactor.signIn(e.email(), e.secret());

        assertThat(actionsFor(id)).containsSubsequence("mfa.enabled", "auth.mfa_failed", "auth.mfa_passed");
        assertThat(detailsOf(id, "auth.login_failed"))
                .containsExactly("{\"email\":\"" + e.email() + "\",\"reason\":\"invalid_mfa_code\"}");
        assertThat(detailsOf(id, "auth.mfa_failed"))
                .containsExactly("{\"challenge_spent\":false,\"failed_attempts\":1,\"method\":\"totp\"}");
        assertThat(detailsOf(id, "auth.login_succeeded").getLast()).contains("\"method\":\"mfa\"");
    }

    @Test
    void adminActionsOnAUserAreOnRecordWithTheirDetails() {
        TestAccounts.Account user = accounts.create("administered");
        UUID id = idOf(user.accessToken());
        String users = "/api/v1/admin/users/" + id;
        assertThat(http.post(users + "/suspend").bearer(admin).send().status()).isEqualTo(200);
        assertThat(http.post(users + "/activate").bearer(admin).send().status()).isEqualTo(200);
        accounts.login(user.email(), TestAccounts.PASSWORD);
        assertThat(http.post(users + "/sessions/revoke").bearer(admin).send().status())
                .isLessThan(300);
        accounts.login(user.email(), TestAccounts.PASSWORD);
        assertThat(http.put(users + "/roles")
                        .bearer(admin)
                        .json("roles", List.of("user", "support"))
                        .send()
                        .status())
                .isEqualTo(200);
        assertThat(http.post(users + "/impersonate").bearer(admin).send().status())
                .isEqualTo(200);

        assertThat(actionsFor(id))
                .containsSubsequence(
                        "user.suspended",
                        "user.activated",
                        "user.sessions_revoked",
                        "user.roles_changed",
                        "user.impersonation_started");
        assertThat(detailsOf(id, "user.suspended")).containsExactly("{\"sessions_revoked\":1}");
        assertThat(detailsOf(id, "user.activated")).containsExactly("{}");
        assertThat(detailsOf(id, "user.sessions_revoked")).containsExactly("{\"sessions_revoked\":1}");
        assertThat(detailsOf(id, "user.roles_changed"))
                .containsExactly("{\"roles\":[\"support\",\"user\"],\"sessions_revoked\":1}");
        assertThat(detailsOf(id, "user.impersonation_started")).containsExactly("{}");
    }

    @Test
    void theChainStaysValid() {
        accounts.create("chain");
        Http.Response verify =
                http.post("/api/v1/admin/audit-events/verify").bearer(admin).send();
        assertThat(verify.status()).isEqualTo(200);
        assertThat(verify.json().get("valid").asBoolean()).isTrue();
    }
}
