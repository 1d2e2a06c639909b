package dev.gatehouse.metering;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.catalog.Aggregation;
import dev.gatehouse.catalog.Limit;
import dev.gatehouse.catalog.Meter;
import dev.gatehouse.catalog.Period;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.test.ApplicationModuleTest;
import org.springframework.modulith.test.ApplicationModuleTest.BootstrapMode;
import org.springframework.modulith.test.AssertablePublishedEvents;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.TestPropertySource;

/**
 * The metering module's exactness, driven through its services on a real PostgreSQL (the embedded one, in a data
 * directory of its own). {@code ALL_DEPENDENCIES}: metering needs organization (and so identity, notification and
 * jobs) for its alerts.
 */
@ApplicationModuleTest(mode = BootstrapMode.ALL_DEPENDENCIES)
@ActiveProfiles("test")
@TestPropertySource(properties = "gatehouse.embedded-db.data-dir=target/embedded-postgres-metering-module")
class MeteringModuleTest {

    private static final Meter API_CALLS = new Meter("api_calls", "API calls", "call", Aggregation.COUNT, null);
    private static final Limit THOUSAND_A_DAY = new Limit("api_calls", 1_000L, Period.DAY);

    private final Quotas quotas;
    private final JdbcClient db;
    private final Clock clock;

    MeteringModuleTest(Quotas quotas, JdbcClient db, Clock clock) {
        this.quotas = quotas;
        this.db = db;
        this.clock = clock;
    }

    private boolean consume(UUID org, long amount, String key) {
        Quotas.Outcome outcome = quotas.consume(new Quotas.Request(
                UUID.nameUUIDFromBytes(org.toString().getBytes()),
                org,
                API_CALLS,
                BigDecimal.valueOf(amount),
                THOUSAND_A_DAY,
                EnumSet.of(Period.DAY, Period.MONTH),
                key));
        if (!(outcome instanceof Quotas.Outcome.Decided decided)) throw new AssertionError(outcome.toString());
        return decided.decision().allowed();
    }

    @Test
    void twoHundredThreadsOnAQuotaOfOneThousandAdmitExactlyOneThousand() throws Exception {
        UUID org = UUID.randomUUID();
        int threads = 200;
        int attemptsEach = 10;
        AtomicInteger admitted = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        AtomicInteger admittedWithKey = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> running = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            for (int t = 0; t < threads; t++) {
                int thread = t;
                running.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < attemptsEach; i++) {
                        // Half of them with an Idempotency-Key, so both paths race.
                        String key = thread % 2 == 0 ? null : "t" + thread + "-" + i;
                        if (consume(org, 1, key)) {
                            admitted.incrementAndGet();
                            if (key != null) admittedWithKey.incrementAndGet();
                        } else {
                            refused.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : running) f.get();
        }
        assertThat(admitted.get()).isEqualTo(1_000);
        assertThat(refused.get()).isEqualTo(threads * attemptsEach - 1_000);
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        java.time.Instant dayStart = today.atStartOfDay(ZoneOffset.UTC).toInstant();
        BigDecimal counted = db.sql("""
                        select consumed from usage_totals
                        where org_id = :org and meter = 'api_calls' and period = 'day' and period_start = :day
                        """)
                .param("org", org)
                .param("day", dayStart.atOffset(ZoneOffset.UTC))
                .query(BigDecimal.class)
                .single();
        assertThat(counted).isEqualByComparingTo("1000");
        assertThat(db.sql("select count(*) from quota_consumptions where org_id = :org and allowed")
                        .param("org", org)
                        .query(Integer.class)
                        .single())
                .as("every admitted keyed consumption is stored with its answer")
                .isEqualTo(admittedWithKey.get());
    }

    @Test
    void crossingEightyAndOneHundredPercentPublishesEachAlertOnce(AssertablePublishedEvents events) {
        UUID org = UUID.randomUUID();
        assertThat(consume(org, 700, null)).isTrue();
        assertThat(events.ofType(UsageThresholdReached.class)
                        .matching(a -> a.orgId().equals(org)))
                .isEmpty();
        assertThat(consume(org, 150, null)).isTrue();
        assertThat(consume(org, 100, null)).isTrue();
        assertThat(consume(org, 50, null)).isTrue();
        assertThat(consume(org, 1, null)).isFalse();
        List<UsageThresholdReached> alerts = new ArrayList<>();
        events.ofType(UsageThresholdReached.class)
                .matching(a -> a.orgId().equals(org))
                .forEach(alerts::add);
        assertThat(alerts).extracting(UsageThresholdReached::thresholdPercent).containsExactlyInAnyOrder(80, 100);
        assertThat(alerts)
                .filteredOn(a -> a.thresholdPercent() == 80)
                .singleElement()
                .satisfies(a -> assertThat(a.used()).isEqualByComparingTo("850"));
    }
}
