package dev.gatehouse.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.support.EndToEndTest;
import dev.gatehouse.support.Http;
import dev.gatehouse.support.TestAccounts;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The README's five-minute tour, over HTTP against the running app, with the link from real email. */
class SignInTourTest extends EndToEndTest {

    @Test
    void signUpVerifyLoginMeRefreshLogout() {
        TestAccounts accounts = new TestAccounts(http, SMTP);
        String email = TestAccounts.uniqueEmail("alice");

        Http.Response registered = http.post("/api/v1/auth/register")
                .json("email", email, "password", TestAccounts.PASSWORD, "name", "Alice", "locale", "en")
                .send();
        assertThat(registered.status()).as(registered.toString()).isEqualTo(201);

        Http.Response early = http.post("/api/v1/auth/login")
                .json("email", email, "password", TestAccounts.PASSWORD)
                .send();
        assertThat(early.status()).isEqualTo(403);
        assertThat(early.code()).isEqualTo("email_not_verified");

        String token = accounts.awaitToken(email, "verify-email");
        Http.Response verified =
                http.post("/api/v1/auth/verify-email").json("token", token).send();
        assertThat(verified.status()).as(verified.toString()).isEqualTo(200);
        assertThat(verified.json().get("email_verified").asBoolean()).isTrue();

        Http.Response again =
                http.post("/api/v1/auth/verify-email").json("token", token).send();
        assertThat(again.status()).isEqualTo(400);
        assertThat(again.code()).isEqualTo("invalid_token");

        Http.Response login = http.post("/api/v1/auth/login")
                .header("User-Agent", "tour-test/1.0")
                .json("email", email.toUpperCase(), "password", TestAccounts.PASSWORD)
                .send();
        assertThat(login.status()).as(login.toString()).isEqualTo(200);
        JsonNode tokens = login.json();
        assertThat(tokens.get("token_type").asString()).isEqualTo("Bearer");
        assertThat(tokens.get("expires_in").asInt()).isEqualTo(600);
        String access = tokens.get("access_token").asString();
        String refresh = tokens.get("refresh_token").asString();

        Http.Response me = http.get("/api/v1/me").bearer(access).send();
        assertThat(me.status()).as(me.toString()).isEqualTo(200);
        assertThat(me.json().get("email").asString()).isEqualTo(email);
        assertThat(me.json().get("name").asString()).isEqualTo("Alice");
        assertThat(me.json().get("email_verified").asBoolean()).isTrue();

        Http.Response sessions = http.get("/api/v1/me/sessions").bearer(access).send();
        assertThat(sessions.json().get("data")).hasSize(1);
        assertThat(sessions.json().get("data").get(0).get("user_agent").asString())
                .isEqualTo("tour-test/1.0");
        assertThat(sessions.json().get("data").get(0).get("current").asBoolean())
                .isTrue();

        Http.Response refreshed = http.post("/api/v1/auth/token/refresh")
                .json("refresh_token", refresh)
                .send();
        assertThat(refreshed.status()).as(refreshed.toString()).isEqualTo(200);
        String newAccess = refreshed.json().get("access_token").asString();
        String newRefresh = refreshed.json().get("refresh_token").asString();
        assertThat(newRefresh).isNotEqualTo(refresh);
        assertThat(http.get("/api/v1/me").bearer(newAccess).send().status()).isEqualTo(200);

        Http.Response logout = http.post("/api/v1/auth/logout")
                .json("refresh_token", newRefresh)
                .send();
        assertThat(logout.status()).isEqualTo(204);

        Http.Response afterLogout = http.post("/api/v1/auth/token/refresh")
                .json("refresh_token", newRefresh)
                .send();
        assertThat(afterLogout.status()).isEqualTo(401);
        assertThat(afterLogout.code()).isEqualTo("invalid_refresh_token");
        Http.Response meAfterLogout = http.get("/api/v1/me").bearer(newAccess).send();
        assertThat(meAfterLogout.status()).isEqualTo(401);
        assertThat(meAfterLogout.code()).isEqualTo("session_revoked");

        assertThat(accounts.mailTo(email)).hasSizeGreaterThanOrEqualTo(2); // verification + welcome
    }
}
