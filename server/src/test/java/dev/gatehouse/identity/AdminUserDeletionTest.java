package dev.gatehouse.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.support.EndToEndTest;
import dev.gatehouse.support.Http;
import dev.gatehouse.support.TestAccounts;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * An admin soft-deletes a user: every session ends, the email is free to register again, the row is kept (status
 * {@code deleted}), the personal organization goes with the account, and nothing more can be done to it.
 */
class AdminUserDeletionTest extends EndToEndTest {

    TestAccounts accounts;
    String admin;

    @BeforeEach
    void admin() {
        accounts = new TestAccounts(http, SMTP);
        admin = accounts.admin().accessToken();
    }

    @Test
    void aDeletedUserIsSignedOutTheirEmailFreedAndTheirRowKept() {
        TestAccounts.Account doomed = accounts.create("doomed");
        JsonNode me = http.get("/api/v1/me").bearer(doomed.accessToken()).send().json();
        String id = me.get("id").asString();
        String personalOrg = http.get("/api/v1/orgs")
                .bearer(doomed.accessToken())
                .send()
                .json()
                .get("data")
                .get(0)
                .get("id")
                .asString();

        Http.Response deleted =
                http.delete("/api/v1/admin/users/" + id).bearer(admin).send();
        assertThat(deleted.status()).as(deleted.toString()).isEqualTo(204);

        assertThat(http.get("/api/v1/me").bearer(doomed.accessToken()).send().status())
                .isEqualTo(401);
        Http.Response refresh = http.post("/api/v1/auth/token/refresh")
                .json("refresh_token", doomed.refreshToken())
                .send();
        assertThat(refresh.status()).as(refresh.toString()).isEqualTo(401);
        Http.Response login = http.post("/api/v1/auth/login")
                .json("email", doomed.email(), "password", TestAccounts.PASSWORD)
                .send();
        assertThat(login.status()).isEqualTo(401);
        assertThat(login.code()).isEqualTo("invalid_credentials");

        JsonNode kept =
                http.get("/api/v1/admin/users/" + id).bearer(admin).send().json();
        assertThat(kept.get("user").get("status").asString()).isEqualTo("deleted");
        assertThat(kept.get("user").get("email").asString()).endsWith("@deleted.invalid");
        assertThat(kept.get("sessions").size()).isZero();

        // The address can register again, as a new account.
        int mails = accounts.mailTo(doomed.email()).length;
        accounts.register(doomed.email());
        dev.gatehouse.support.Poll.untilTrue(
                java.time.Duration.ofSeconds(20),
                "the new account's verification email",
                () -> accounts.mailTo(doomed.email()).length > mails);
        accounts.verify(doomed.email());
        String again = accounts.login(doomed.email(), TestAccounts.PASSWORD).accessToken();
        assertThat(http.get("/api/v1/me").bearer(again).send().json().get("id").asString())
                .isNotEqualTo(id);

        // The personal organization went with the account.
        String service = http.post("/api/v1/admin/service-keys")
                .bearer(admin)
                .json("name", "deletion")
                .send()
                .json()
                .get("key")
                .asString();
        Http.Response check = http.post("/api/v1/entitlements/check")
                .bearer(service)
                .json("org", personalOrg, "feature", "api_access")
                .send();
        assertThat(check.status()).as(check.toString()).isEqualTo(404);

        // Deleting again answers the same; anything else is refused.
        assertThat(http.delete("/api/v1/admin/users/" + id).bearer(admin).send().status())
                .isEqualTo(204);
        Http.Response suspend = http.post("/api/v1/admin/users/" + id + "/suspend")
                .bearer(admin)
                .send();
        assertThat(suspend.status()).as(suspend.toString()).isEqualTo(409);
        assertThat(suspend.code()).isEqualTo("user_deleted");
        assertThat(http.post("/api/v1/admin/users/" + id + "/activate")
                        .bearer(admin)
                        .send()
                        .code())
                .isEqualTo("user_deleted");

        JsonNode audit = http.get("/api/v1/admin/audit-events?action=user.deleted&target_type=user&target_id=" + id)
                .bearer(admin)
                .send()
                .json()
                .get("data");
        assertThat(audit.size()).isEqualTo(1);
    }

    @Test
    void onlyAdminsDeleteAndNeverThemselves() {
        TestAccounts.Account user = accounts.create("not-admin");
        TestAccounts.Account target = accounts.create("target");
        String targetId = http.get("/api/v1/me")
                .bearer(target.accessToken())
                .send()
                .json()
                .get("id")
                .asString();
        Http.Response byUser = http.delete("/api/v1/admin/users/" + targetId)
                .bearer(user.accessToken())
                .send();
        assertThat(byUser.status()).isEqualTo(403);
        assertThat(http.get("/api/v1/me").bearer(target.accessToken()).send().status())
                .isEqualTo(200);

        String adminId =
                http.get("/api/v1/me").bearer(admin).send().json().get("id").asString();
        Http.Response self =
                http.delete("/api/v1/admin/users/" + adminId).bearer(admin).send();
        assertThat(self.status()).isEqualTo(409);
        assertThat(self.code()).isEqualTo("not_on_yourself");
        assertThat(http.delete("/api/v1/admin/users/" + UUID.randomUUID())
                        .bearer(admin)
                        .send()
                        .status())
                .isEqualTo(404);
    }
}
