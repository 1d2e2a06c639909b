package dev.gatehouse.onboarding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.support.CheckConstraints;
import dev.gatehouse.support.EndToEndTest;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Onboarding's states are Java enums backed by check constraints; this keeps each check equal to its enum. */
class OnboardingColumnsTest extends EndToEndTest {

    @Autowired
    JdbcClient db;

    @Test
    void everyStateColumnAcceptsExactlyItsEnumsValues() {
        assertThat(CheckConstraints.literals(db, "onboarding_progress", "onboarding_progress_status_check"))
                .isEqualTo(
                        Arrays.stream(StepStatus.values()).map(StepStatus::wire).collect(Collectors.toSet()));
        assertThat(CheckConstraints.literals(db, "onboarding_versions", "onboarding_versions_state_check"))
                .isEqualTo(Arrays.stream(VersionState.values())
                        .map(VersionState::wire)
                        .collect(Collectors.toSet()));
    }

    @Test
    void theDatabaseAllowsOneActiveVersion() {
        assertThatThrownBy(() -> db.sql("""
                        insert into onboarding_versions (state, created_at, activated_at)
                        values ('active', now(), now())
                        """).update()).isInstanceOf(DataIntegrityViolationException.class);
    }
}
