package dev.gatehouse.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.platform.PlatformRole;
import dev.gatehouse.support.CheckConstraints;
import dev.gatehouse.support.EndToEndTest;
import dev.gatehouse.support.TestAccounts;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Identity's states and roles are written once, as Java enums; the database's check constraints back them.
 * This keeps each check accepting exactly its enum's values, so neither can gain a value the other refuses.
 */
class StateColumnsTest extends EndToEndTest {

    @Autowired
    JdbcClient db;

    @Test
    void everyStateAndRoleColumnAcceptsExactlyItsEnumsValues() {
        assertThat(checked("users", "users_status_check")).isEqualTo(wire(UserStatus.values(), UserStatus::wire));
        assertThat(checked("users", "users_roles_check"))
                .as("a person holds any platform role but service")
                .isEqualTo(wire(PlatformRole.ASSIGNABLE.toArray(PlatformRole[]::new), PlatformRole::wire));
        assertThat(checked("refresh_tokens", "refresh_tokens_state_check"))
                .isEqualTo(wire(RefreshTokenState.values(), RefreshTokenState::wire));
        assertThat(checked("sessions", "sessions_revoke_reason"))
                .isEqualTo(wire(RevokeReason.values(), RevokeReason::wire));
        assertThat(checked("one_time_tokens", "one_time_tokens_purpose_check"))
                .isEqualTo(wire(OneTimeTokens.Purpose.values(), p -> p.column));
    }

    private Set<String> checked(String table, String constraint) {
        return CheckConstraints.literals(db, table, constraint);
    }

    private static <E> Set<String> wire(E[] values, Function<E, String> wire) {
        return Arrays.stream(values).map(wire).collect(Collectors.toSet());
    }

    @Test
    void theDatabaseRefusesASessionEndWithoutOneOfTheReasons() {
        TestAccounts.Account account = new TestAccounts(http, SMTP).create("session-end");
        String session = http.get("/api/v1/me")
                .bearer(account.accessToken())
                .send()
                .json()
                .get("session_id")
                .asString();
        for (String change : List.of(
                "revoked_at = now()", "revoked_at = now(), revoke_reason = 'bored'", "revoke_reason = 'logout'")) {
            assertThatThrownBy(() -> db.sql("update sessions set " + change + " where id = cast(:id as uuid)")
                            .param("id", session)
                            .update())
                    .as(change)
                    .isInstanceOf(DataIntegrityViolationException.class);
        }
        assertThat(db.sql(
                                "update sessions set revoked_at = now(), revoke_reason = :reason where id = cast(:id as uuid)")
                        .param("reason", RevokeReason.LOGOUT.wire())
                        .param("id", session)
                        .update())
                .isOne();
    }
}
