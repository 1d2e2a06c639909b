package dev.gatehouse.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.support.EndToEndTest;
import dev.gatehouse.support.Http;
import dev.gatehouse.support.TestAccounts;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Credentials never rest in clear: not in tokens tables, not in stored idempotent responses, not in sent mail. */
class SignInSecretsAtRestTest extends EndToEndTest {

    @Autowired
    JdbcClient db;

    @Test
    void signInResponsesAreNeverStoredForIdempotency() {
        TestAccounts.Account a = new TestAccounts(http, SMTP).create("idem");
        Http.Response first = http.post("/api/v1/auth/login")
                .header("Idempotency-Key", "login-1")
                .json("email", a.email(), "password", TestAccounts.PASSWORD)
                .send();
        Http.Response second = http.post("/api/v1/auth/login")
                .header("Idempotency-Key", "login-1")
                .json("email", a.email(), "password", TestAccounts.PASSWORD)
                .send();
        assertThat(first.status()).isEqualTo(200);
        assertThat(second.status()).isEqualTo(200);
        assertThat(second.header("Idempotent-Replayed")).isNull();
        assertThat(second.json().get("refresh_token").asString())
                .isNotEqualTo(first.json().get("refresh_token").asString());
        Long stored = db.sql("select count(*) from idempotency_keys where key = 'login-1'")
                .query(Long.class)
                .single();
        assertThat(stored).isZero();
    }

    @Test
    void tokensAreStoredOnlyAsHashesAndSentMailIsBlanked() {
        TestAccounts accounts = new TestAccounts(http, SMTP);
        TestAccounts.Account a = accounts.create("at-rest");
        Long clear = db.sql("select count(*) from refresh_tokens where encode(token_hash, 'escape') like 'ghr_%'")
                .query(Long.class)
                .single();
        assertThat(clear).isZero();

        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        List<String> bodies;
        do {
            bodies = db.sql("select text_body || html_body from emails where to_address = :to and status = 'sent'")
                    .param("to", a.email())
                    .query(String.class)
                    .list();
        } while (bodies.size() < 2 && Instant.now().isBefore(deadline) && pause());
        assertThat(bodies).hasSizeGreaterThanOrEqualTo(2).allMatch(String::isEmpty);
    }

    /** Polls the database at most every 100 ms; never a bare sleep in a test body. */
    private static boolean pause() {
        SMTP.waitForIncomingEmail(100, Integer.MAX_VALUE);
        return true;
    }
}
