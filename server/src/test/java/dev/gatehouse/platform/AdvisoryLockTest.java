package dev.gatehouse.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/** The registry of advisory locks, on plain objects. */
class AdvisoryLockTest {

    @Test
    void everyLockHasANamespaceOfItsOwn() {
        assertThat(Arrays.stream(AdvisoryLock.values()).map(AdvisoryLock::namespace))
                .doesNotHaveDuplicates();
    }

    @Test
    void aLockOutsideATransactionIsRefusedBecauseItWouldGuardNothing() {
        // Never connects: the refusal comes before any statement.
        JdbcClient db = JdbcClient.create(new DriverManagerDataSource("jdbc:postgresql://127.0.0.1:1/none"));
        assertThatThrownBy(() -> AdvisoryLock.API_KEY_CREATION.acquire(db, UUID.randomUUID()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("transaction");
        assertThatThrownBy(() -> AdvisoryLock.BOOTSTRAP_ADMIN.acquire(db)).isInstanceOf(IllegalStateException.class);
    }
}
