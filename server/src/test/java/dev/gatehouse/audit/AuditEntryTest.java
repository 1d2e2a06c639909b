package dev.gatehouse.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.platform.Caller;
import dev.gatehouse.platform.PlatformRole;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Audit entries check and normalize their values where they are built. */
class AuditEntryTest {

    private static final UUID USER = UUID.fromString("11111111-1111-4111-8111-111111111111");
    private static final UUID ADMIN = UUID.fromString("22222222-2222-4222-8222-222222222222");

    @Test
    void impersonatedCallerPutsBothIdsOnRecord() {
        AuditEntry entry =
                AuditEntry.by(new Caller(USER, null, Set.of(PlatformRole.USER), ADMIN), "user.profile_changed");
        assertThat(entry.actorId()).isEqualTo(USER);
        assertThat(entry.impersonatorId()).isEqualTo(ADMIN);

        AuditEntry plain =
                AuditEntry.by(new Caller(USER, null, Set.of(PlatformRole.USER), null), "user.profile_changed");
        assertThat(plain.impersonatorId()).isNull();
    }

    @Test
    void factoriesAndWithersBuildTheEntry() {
        UUID target = UUID.randomUUID();
        AuditEntry entry = AuditEntry.system("billing.invoice_paid")
                .target("invoice", target)
                .detail("amount_cents", 1999)
                .withDetails(Map.of("currency", "usd"));
        assertThat(entry.actorId()).isNull();
        assertThat(entry.targetType()).isEqualTo("invoice");
        assertThat(entry.targetId()).isEqualTo(target.toString());
        assertThat(entry.details()).containsEntry("amount_cents", 1999L).containsEntry("currency", "usd");
    }

    @Test
    void refusesMalformedActionsAndTargets() {
        for (String bad : List.of("", "verified", "Audit.Verified", "audit..verified", "audit.", "audit verified")) {
            assertThatThrownBy(() -> AuditEntry.system(bad)).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> AuditEntry.system("a.b").target("User", "x"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AuditEntry.system("a.b").target("user", " "))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AuditEntry("a.b", null, null, null, "id-without-type", Map.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesDecimalsAndUnknownTypesInDetails() {
        assertThatThrownBy(() -> AuditEntry.system("a.b").detail("x", 1.5)).hasMessageContaining("string");
        assertThatThrownBy(() -> AuditEntry.system("a.b").detail("x", new BigDecimal("1.50")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AuditEntry.system("a.b").detail("x", new Object()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AuditEntry.system("a.b").detail("x", Map.of(1, "non-string key")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void normalizesDetailsToJsonValuesAndCopiesThem() {
        UUID id = UUID.randomUUID();
        Instant at = Instant.parse("2026-01-02T03:04:05.123456789Z");
        AuditEntry entry = AuditEntry.system("a.b")
                .detail("id", id)
                .detail("at", at)
                .detail("small", (short) 3)
                .detail("big", new BigInteger("99999999999999999999"))
                .detail("list", List.of(1, "two"))
                .detail("none", null);
        assertThat(entry.details())
                .containsEntry("id", id.toString())
                .containsEntry("at", "2026-01-02T03:04:05.123456789Z")
                .containsEntry("small", 3L)
                .containsEntry("big", new BigInteger("99999999999999999999"))
                .containsEntry("list", List.of(1L, "two"))
                .containsEntry("none", null);
        assertThatThrownBy(() -> entry.details().put("more", "x")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void replacesWhatPostgresqlTextCannotHold() {
        AuditEntry entry = AuditEntry.system("a.b")
                .target("user", "nul\u0000here")
                .detail("lone", "x\uD800y")
                .detail("pair", "ok 😀");
        assertThat(entry.targetId()).isEqualTo("nul\uFFFDhere");
        assertThat(entry.details()).containsEntry("lone", "x\uFFFDy").containsEntry("pair", "ok 😀");
    }
}
