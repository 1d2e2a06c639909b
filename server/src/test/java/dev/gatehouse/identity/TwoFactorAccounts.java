package dev.gatehouse.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.identity.mfa.Base32;
import dev.gatehouse.identity.mfa.Totp;
import dev.gatehouse.support.Http;
import dev.gatehouse.support.TestAccounts;
import dev.gatehouse.support.TestClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/**
 * Accounts with two-factor sign-in, made through the public API like a person would: enroll with the
 * returned secret, confirm with a code computed from it. Codes are computed at the app's clock
 * ({@link TestClock}); {@link #nextCode} moves it one TOTP step on, since a step works only once.
 */
final class TwoFactorAccounts {

    record Enrolled(String email, String accessToken, String refreshToken, byte[] secret, List<String> recoveryCodes) {}

    private final Http http;
    private final TestAccounts accounts;
    private final TestClock clock;

    TwoFactorAccounts(Http http, TestAccounts accounts, TestClock clock) {
        this.http = http;
        this.accounts = accounts;
        this.clock = clock;
    }

    TestAccounts accounts() {
        return accounts;
    }

    /** A verified account, signed in, with two-factor sign-in on. */
    Enrolled create(String prefix) {
        TestAccounts.Account a = accounts.create(prefix);
        Http.Response start =
                http.post("/api/v1/me/mfa/totp").bearer(a.accessToken()).send();
        assertThat(start.status()).as(start.toString()).isEqualTo(200);
        byte[] secret = Base32.decode(start.json().get("secret").asString());
        Http.Response confirm = http.post("/api/v1/me/mfa/totp/confirm")
                .bearer(a.accessToken())
                .json("code", code(secret))
                .send();
        assertThat(confirm.status()).as(confirm.toString()).isEqualTo(200);
        List<String> codes = new ArrayList<>();
        confirm.json().get("recovery_codes").forEach(c -> codes.add(c.asString()));
        return new Enrolled(a.email(), a.accessToken(), a.refreshToken(), secret, codes);
    }

    /** The code for the app's current time step. */
    String code(byte[] secret) {
        return Totp.code(secret, clock.instant());
    }

    /** Moves the app's clock one step on and returns that step's code: the previous one is used up. */
    String nextCode(byte[] secret) {
        clock.advance(Duration.ofSeconds(Totp.STEP_SECONDS));
        return code(secret);
    }

    Http.Response login(String email) {
        return http.post("/api/v1/auth/login")
                .json("email", email, "password", TestAccounts.PASSWORD)
                .send();
    }

    /** Password step of a two-factor sign-in: asserts mfa_required and returns the mfa_token. */
    String mfaToken(String email) {
        Http.Response r = login(email);
        assertThat(r.status()).as(r.toString()).isEqualTo(401);
        assertThat(r.code()).isEqualTo("mfa_required");
        return r.json().get("mfa_token").asString();
    }

    Http.Response loginMfa(String mfaToken, String code) {
        return http.post("/api/v1/auth/login/mfa")
                .json("mfa_token", mfaToken, "code", code)
                .send();
    }

    Http.Response loginRecovery(String mfaToken, String recoveryCode) {
        return http.post("/api/v1/auth/login/mfa")
                .json("mfa_token", mfaToken, "recovery_code", recoveryCode)
                .send();
    }

    /** Both steps; returns the token answer. */
    JsonNode signIn(String email, byte[] secret) {
        Http.Response r = loginMfa(mfaToken(email), nextCode(secret));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json();
    }

    /** The user id behind an access token. */
    UUID userId(String accessToken) {
        Http.Response me = http.get("/api/v1/me").bearer(accessToken).send();
        assertThat(me.status()).as(me.toString()).isEqualTo(200);
        return UUID.fromString(me.json().get("id").asString());
    }
}
