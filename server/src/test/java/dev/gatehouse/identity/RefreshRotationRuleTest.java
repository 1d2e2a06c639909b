package dev.gatehouse.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.platform.OpaqueTokens;
import dev.gatehouse.platform.PlatformRole;
import dev.gatehouse.support.EndToEndTest;
import dev.gatehouse.support.TestAccounts;
import dev.gatehouse.support.TestClock;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The rotation rule lives in one statement ({@link Sessions#rotateActive}), which both the fast path of a
 * refresh and the locked slow path run. Each part of the rule is switched off on its own here, on the
 * statement itself: it rotates only when every part holds, and otherwise changes nothing at all.
 */
class RefreshRotationRuleTest extends EndToEndTest {

    @Autowired
    Sessions sessions;

    @Autowired
    JdbcClient db;

    @Autowired
    TestClock clock;

    TestAccounts accounts;

    @BeforeEach
    void accounts() {
        accounts = new TestAccounts(http, SMTP);
    }

    /** A signed-in account: its refresh token, session and user. */
    record Family(String token, UUID sessionId, UUID userId) {}

    private Family signIn(String prefix) {
        TestAccounts.Account a = accounts.create(prefix);
        var me = http.get("/api/v1/me").bearer(a.accessToken()).send().json();
        return new Family(
                a.refreshToken(),
                UUID.fromString(me.get("session_id").asString()),
                UUID.fromString(me.get("id").asString()));
    }

    private Optional<Sessions.Rotated> rotate(String token, Instant now, UUID successor) {
        return sessions.rotateActive(
                OpaqueTokens.sha256(token),
                now,
                successor,
                new byte[] {1, 2, 3},
                OpaqueTokens.sha256(SignIn.REFRESH_TOKENS.generate()),
                now.plus(Duration.ofDays(1)),
                "192.0.2.7");
    }

    /** The family's tokens as (state, successor) rows, oldest first. */
    private List<String> tokens(Family f) {
        return db.sql("""
                        select state || ' ' || coalesce(successor_id::text, '-') from refresh_tokens
                        where session_id = :session order by issued_at, id
                        """).param("session", f.sessionId()).query(String.class).list();
    }

    /** One part of the rule, switched off on a family. */
    record Break(String part, Consumer<Family> apply) {}

    @Test
    void onlyTheActiveUnexpiredTokenOfALiveSessionOfAnActiveUserRotates() {
        Instant now = clock.instant();
        Timestamp past = Timestamp.from(now.minusSeconds(1));
        List<Break> breaks = List.of(
                new Break(
                        "revoked token",
                        f -> db.sql("update refresh_tokens set state = :revoked where session_id = :s")
                                .param(
                                        "revoked",
                                        RefreshTokenState.ACTIVE.revoke().wire())
                                .param("s", f.sessionId())
                                .update()),
                new Break(
                        "expired token",
                        f -> db.sql("update refresh_tokens set expires_at = :past where session_id = :s")
                                .param("past", past)
                                .param("s", f.sessionId())
                                .update()),
                new Break(
                        "revoked session",
                        f -> db.sql("update sessions set revoked_at = :past, revoke_reason = :reason where id = :s")
                                .param("past", past)
                                .param("reason", RevokeReason.REVOKED_BY_USER.wire())
                                .param("s", f.sessionId())
                                .update()),
                new Break(
                        "expired session",
                        f -> db.sql("update sessions set expires_at = :past where id = :s")
                                .param("past", past)
                                .param("s", f.sessionId())
                                .update()),
                new Break(
                        "suspended user",
                        f -> db.sql("update users set status = :suspended where id = :u")
                                .param("suspended", UserStatus.ACTIVE.suspend().wire())
                                .param("u", f.userId())
                                .update()));
        for (Break b : breaks) {
            Family f = signIn("rule");
            b.apply().accept(f);
            List<String> before = tokens(f);
            assertThat(rotate(f.token(), now, UUID.randomUUID())).as(b.part()).isEmpty();
            assertThat(tokens(f)).as(b.part()).isEqualTo(before);
        }

        // Everything holds: the presented token is rotated with its successor, which becomes the active one.
        Family f = signIn("rule-plain");
        UUID successor = UUID.randomUUID();
        Instant later = clock.instant();
        Optional<Sessions.Rotated> rotated = rotate(f.token(), later, successor);
        assertThat(rotated).hasValueSatisfying(r -> {
            assertThat(r.userId()).isEqualTo(f.userId());
            assertThat(r.sessionId()).isEqualTo(f.sessionId());
            assertThat(r.roles()).containsExactly(PlatformRole.USER);
        });
        assertThat(tokens(f))
                .containsExactly(
                        RefreshTokenState.ROTATED.wire() + " " + successor, RefreshTokenState.ACTIVE.wire() + " -");
        assertThat(db.sql("select ip from sessions where id = :s")
                        .param("s", f.sessionId())
                        .query(String.class)
                        .single())
                .isEqualTo("192.0.2.7");

        // A token that is no longer the active one (rotated) does not rotate again.
        List<String> after = tokens(f);
        assertThat(rotate(f.token(), later, UUID.randomUUID())).isEmpty();
        assertThat(tokens(f)).isEqualTo(after);
    }
}
