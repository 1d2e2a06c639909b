package dev.gatehouse.credits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.platform.ApiException;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.test.ApplicationModuleTest;
import org.springframework.modulith.test.ApplicationModuleTest.BootstrapMode;
import org.springframework.modulith.test.AssertablePublishedEvents;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.TestPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The ledger's promises driven through its services on a real PostgreSQL: invariants under thousands of random
 * operations, exactness under concurrency, consumption order, plan grants, rollover, warnings and idempotency.
 * Time is passed to the services explicitly, so expiry is tested by naming a later instant, never by sleeping.
 */
@ApplicationModuleTest(mode = BootstrapMode.ALL_DEPENDENCIES)
@ActiveProfiles("test")
@TestPropertySource(properties = "gatehouse.embedded-db.data-dir=target/embedded-postgres-credits-module")
class CreditsModuleTest {

    private static final long PT = Micros.PER_PT;

    private final Ledger ledger;
    private final Holds holds;
    private final Grants grants;
    private final PlanGrants planGrants;
    private final CreditGrants creditGrants;
    private final CreditCalls calls;
    private final CreditExpiry expiry;
    private final CreditUnit unit;
    private final Drift drift;
    private final JdbcClient db;
    private final TransactionTemplate tx;

    CreditsModuleTest(
            Ledger ledger,
            Holds holds,
            Grants grants,
            PlanGrants planGrants,
            CreditGrants creditGrants,
            CreditCalls calls,
            CreditExpiry expiry,
            CreditUnit unit,
            Drift drift,
            JdbcClient db,
            TransactionTemplate tx) {
        this.ledger = ledger;
        this.holds = holds;
        this.grants = grants;
        this.planGrants = planGrants;
        this.creditGrants = creditGrants;
        this.calls = calls;
        this.expiry = expiry;
        this.unit = unit;
        this.drift = drift;
        this.db = db;
        this.tx = tx;
    }

    // ---- helpers

    private Grants.Granted grant(UUID org, long micros, int priority, @Nullable Instant expiresAt, Instant now) {
        return grants.grant(
                new Grants.Grant(org, BlockSource.PROMO, micros, priority, expiresAt, null, null, null, "test", null),
                now);
    }

    private Holds.Outcome reserve(UUID org, long micros, long overdraft, Instant expiresAt, Instant now) {
        return tx.execute(s -> {
            ledger.lock(org);
            return holds.reserve(org, micros, overdraft, expiresAt, Holds.Context.none(), now);
        });
    }

    private Holds.Outcome settle(UUID id, long actual, long overdraft, Instant now) {
        Holds.Reservation found = holds.find(id);
        return tx.execute(s -> {
            ledger.lock(found.org());
            return holds.settle(holds.find(id), actual, overdraft, Holds.Context.none(), now);
        });
    }

    private Holds.Outcome release(UUID id, Instant now) {
        Holds.Reservation found = holds.find(id);
        return tx.execute(s -> {
            ledger.lock(found.org());
            return holds.release(holds.find(id), false, Holds.Context.none(), now);
        });
    }

    private Holds.Outcome debit(UUID org, long micros, long overdraft, Instant now) {
        return tx.execute(s -> {
            ledger.lock(org);
            return holds.debit(org, micros, overdraft, Holds.Context.none(), now);
        });
    }

    private static boolean refused(Runnable r) {
        try {
            r.run();
            return false;
        } catch (ApiException e) {
            assertThat(e.code()).isIn("insufficient_credits", "reservation_not_held");
            return true;
        }
    }

    /** Every invariant of the organization's ledger. */
    private void assertInvariants(UUID org, long overdraftLimit, String step) {
        assertThat(db.sql("""
                                select count(*) from (select transaction_id from credit_entries where org_id = :org
                                                      group by transaction_id having sum(amount) <> 0) t
                                """).param("org", org).query(Integer.class).single())
                .as("unbalanced transactions after %s", step)
                .isZero();
        assertThat(drift.differences(org))
                .as("cached balances equal derived sums after %s", step)
                .isEmpty();
        long available = ledger.balance(org, Account.AVAILABLE);
        assertThat(available).as("available after %s", step).isGreaterThanOrEqualTo(-overdraftLimit);
        long heldByReservations = db.sql(
                        "select coalesce(sum(amount), 0) from credit_reservations where org_id = :org and state = 'held'")
                .param("org", org)
                .query(Long.class)
                .single();
        assertThat(ledger.balance(org, Account.HELD)).as("held after %s", step).isEqualTo(heldByReservations);
        assertThat(db.sql("""
                                select count(*) from credit_blocks where org_id = :org
                                  and (held < 0 or (remaining < 0 and source <> 'overdraft'))
                                """).param("org", org).query(Integer.class).single())
                .as("blocks below zero after %s", step)
                .isZero();
        long accounts = db.sql("select coalesce(sum(balance), 0) from credit_accounts where org_id = :org")
                .param("org", org)
                .query(Long.class)
                .single();
        assertThat(accounts).as("all accounts sum to zero after %s", step).isZero();
    }

    // ---- randomized

    @Test
    void thousandsOfRandomOperationsKeepEveryInvariantAfterEachStep() {
        Random random = new Random(20261205L);
        // One organization without overdraft, one whose plan lets it overdraw 10 PT.
        UUID plain = UUID.randomUUID();
        UUID overdrawing = UUID.randomUUID();
        Map<UUID, Long> limits = Map.of(plain, 0L, overdrawing, 10 * PT);
        Map<UUID, List<UUID>> open = new HashMap<>(Map.of(plain, new ArrayList<>(), overdrawing, new ArrayList<>()));
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        int refusals = 0;
        for (int i = 0; i < 3_000; i++) {
            UUID org = random.nextBoolean() ? plain : overdrawing;
            long limit = limits.get(org);
            List<UUID> held = open.get(org);
            long amount = 1 + random.nextLong(20 * PT);
            Instant at = now;
            String op;
            switch (random.nextInt(10)) {
                case 0, 1 -> {
                    op = "grant";
                    Instant expires =
                            random.nextBoolean() ? null : now.plus(Duration.ofMinutes(1 + random.nextInt(60)));
                    grant(org, amount, random.nextInt(4), expires, at);
                }
                case 2, 3 -> {
                    op = "reserve";
                    Instant until = now.plus(Duration.ofMinutes(1 + random.nextInt(30)));
                    if (refused(() -> held.add(
                            reserve(org, amount, limit, until, at).reservation().id()))) refusals++;
                }
                case 4, 5 -> {
                    op = "settle";
                    if (held.isEmpty()) continue;
                    UUID id = held.remove(random.nextInt(held.size()));
                    long hold = holds.find(id).amount();
                    // Actual usage from nothing to half again as much as the hold.
                    long actual = random.nextLong(hold + hold / 2 + 1);
                    if (refused(() -> settle(id, actual, limit, at))) refusals++;
                }
                case 6 -> {
                    op = "release";
                    if (held.isEmpty()) continue;
                    UUID id = held.remove(random.nextInt(held.size()));
                    if (refused(() -> release(id, at))) refusals++;
                }
                case 7 -> {
                    op = "debit";
                    if (refused(() -> debit(org, amount, limit, at))) refusals++;
                }
                case 8 -> {
                    op = "expire";
                    now = now.plus(Duration.ofMinutes(random.nextInt(20)));
                    Instant later = now;
                    for (UUID id : holds.due(later, 1000)) expiry.expireHold(id, later);
                    grants.expire(org, plan -> 0L, later);
                    held.removeIf(id -> !holds.find(id).state().equals("held"));
                }
                default -> {
                    op = "refund";
                    if (random.nextBoolean()) {
                        grants.grant(
                                new Grants.Grant(
                                        org, BlockSource.REFUND, amount, 0, null, null, null, null, "refund", null),
                                at);
                    } else {
                        grants.clawBack(org, amount, "refund-" + i, "refunded", at);
                    }
                }
            }
            assertInvariants(org, limit, "step " + i + " (" + op + ")");
        }
        assertThat(refusals)
                .as("some operations were refused, so the limits were exercised")
                .isPositive();
        assertThat(db.sql("select count(*) from credit_transactions where org_id in (:a, :b)")
                        .param("a", plain)
                        .param("b", overdrawing)
                        .query(Integer.class)
                        .single())
                .isGreaterThan(1_500);
        assertThat(ledger.overdraft(overdrawing))
                .as("the overdraft was exercised")
                .isNotNull();
    }

    // ---- concurrency

    @Test
    void twoHundredThreadsReservingTwentyFiveAgainstFiveHundredSucceedExactlyTwentyTimes() throws Exception {
        UUID org = UUID.randomUUID();
        Instant now = Instant.now();
        grant(org, 500 * PT, 0, null, now);
        AtomicInteger admitted = new AtomicInteger();
        AtomicInteger refusedCount = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> running = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(200)) {
            for (int t = 0; t < 200; t++) {
                int thread = t;
                running.add(pool.submit(() -> {
                    start.await();
                    // Half with an Idempotency-Key, as the API would run them.
                    CreditRequests.Key key = thread % 2 == 0
                            ? null
                            : new CreditRequests.Key(UUID.randomUUID(), "k" + thread, new byte[32]);
                    try {
                        calls.run(
                                org,
                                key,
                                201,
                                String.class,
                                at -> holds.reserve(org, 25 * PT, 0, at.plusSeconds(3600), Holds.Context.none(), at)
                                        .reservation()
                                        .id()
                                        .toString());
                        admitted.incrementAndGet();
                    } catch (ApiException e) {
                        assertThat(e.code()).isEqualTo("insufficient_credits");
                        refusedCount.incrementAndGet();
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : running) f.get();
        }
        assertThat(admitted.get()).isEqualTo(20);
        assertThat(refusedCount.get()).isEqualTo(180);
        assertThat(ledger.balance(org, Account.AVAILABLE)).isZero();
        assertThat(ledger.balance(org, Account.HELD)).isEqualTo(500 * PT);
        assertInvariants(org, 0, "the race");
    }

    @Test
    void settlesAndReleasesRacingTheExpiryJobNeverDoubleApply() throws Exception {
        UUID org = UUID.randomUUID();
        Instant now = Instant.now();
        grant(org, 1_000 * PT, 0, null, now);
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            ids.add(reserve(org, 5 * PT, 0, now.plusSeconds(60), now)
                    .reservation()
                    .id());
        }
        Instant later = now.plusSeconds(61);
        AtomicInteger closedByCaller = new AtomicInteger();
        AtomicInteger closedByJob = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> running = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(16)) {
            for (int i = 0; i < ids.size(); i++) {
                UUID id = ids.get(i);
                boolean settleIt = i % 2 == 0;
                running.add(pool.submit(() -> {
                    start.await();
                    if (!refused(() -> {
                        if (settleIt) settle(id, 3 * PT, 0, later);
                        else release(id, later);
                    })) closedByCaller.incrementAndGet();
                    return null;
                }));
                running.add(pool.submit(() -> {
                    start.await();
                    if (expiry.expireHold(id, later)) closedByJob.incrementAndGet();
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : running) f.get();
        }
        assertThat(closedByCaller.get() + closedByJob.get()).isEqualTo(100);
        for (UUID id : ids) {
            assertThat(db.sql("""
                                    select count(*) from credit_transactions
                                    where reference = :id and kind in ('settle', 'release', 'hold_expiry')
                                    """).param("id", id).query(Integer.class).single())
                    .as("closing transactions of %s", id)
                    .isEqualTo(1);
        }
        long settled = db.sql("select coalesce(sum(settled_amount), 0) from credit_reservations where org_id = :org")
                .param("org", org)
                .query(Long.class)
                .single();
        assertThat(ledger.balance(org, Account.REVENUE)).isEqualTo(settled);
        assertThat(ledger.balance(org, Account.AVAILABLE)).isEqualTo(1_000 * PT - settled);
        assertThat(ledger.balance(org, Account.HELD)).isZero();
        assertInvariants(org, 0, "the race with the expiry job");
    }

    // ---- rules

    @Test
    void spendingTakesLowerPriorityFirstThenSoonerExpiryThenOlderGrant() {
        UUID org = UUID.randomUUID();
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        UUID neverExpires = grant(org, 10 * PT, 1, null, now).block();
        UUID late = grant(org, 10 * PT, 1, now.plus(Duration.ofDays(9)), now).block();
        UUID soon = grant(org, 10 * PT, 1, now.plus(Duration.ofDays(2)), now).block();
        UUID older = grant(org, 10 * PT, 0, null, now).block();
        UUID newer = grant(org, 10 * PT, 0, null, now.plusSeconds(1)).block();
        debit(org, 35 * PT, 0, now.plusSeconds(2));
        Map<UUID, Long> left = new HashMap<>();
        for (var b : db.sql("select id, remaining from credit_blocks where org_id = :org")
                .param("org", org)
                .query((rs, i) -> Map.entry(rs.getObject("id", UUID.class), rs.getLong("remaining")))
                .list()) {
            left.put(b.getKey(), b.getValue());
        }
        assertThat(left.get(older)).isZero();
        assertThat(left.get(newer)).isZero();
        assertThat(left.get(soon)).isZero();
        assertThat(left.get(late)).isEqualTo(5 * PT);
        assertThat(left.get(neverExpires)).isEqualTo(10 * PT);
    }

    @Test
    void settlingReturnsTheRestAndAboveTheHoldFollowsTheOverdraftRule() {
        UUID org = UUID.randomUUID();
        Instant now = Instant.now();
        grant(org, 100 * PT, 0, null, now);
        UUID a = reserve(org, 30 * PT, 0, now.plusSeconds(600), now)
                .reservation()
                .id();
        Holds.Outcome settled = settle(a, 12_500_000, 0, now);
        assertThat(settled.available()).isEqualTo(100 * PT - 12_500_000);
        assertThat(settled.reservation().state()).isEqualTo("settled");
        // Above the hold: taken from available when it covers it, refused (402) otherwise.
        UUID b = reserve(org, 10 * PT, 0, now.plusSeconds(600), now)
                .reservation()
                .id();
        assertThat(settle(b, 20 * PT, 0, now).available()).isEqualTo(100 * PT - 12_500_000 - 20 * PT);
        UUID c = reserve(org, 10 * PT, 0, now.plusSeconds(600), now)
                .reservation()
                .id();
        assertThatThrownBy(() -> settle(c, 200 * PT, 0, now))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.code()).isEqualTo("insufficient_credits"));
        assertThat(holds.find(c).state()).as("a refused settle leaves the hold").isEqualTo("held");
        // With a 500 PT overdraft the same settle goes through and available goes below zero.
        Holds.Outcome overdrawn = settle(c, 200 * PT, 500 * PT, now);
        assertThat(overdrawn.available()).isNegative();
        // A later grant repays the overdraft first.
        grant(org, 500 * PT, 0, null, now);
        assertThat(ledger.overdraft(org).remaining()).isZero();
        assertThat(ledger.balance(org, Account.AVAILABLE)).isEqualTo(overdrawn.available() + 500 * PT);
        assertInvariants(org, 500 * PT, "overdraft");
        // A second settle of a closed reservation is refused.
        assertThatThrownBy(() -> settle(a, PT, 0, now))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.code()).isEqualTo("reservation_not_held"));
    }

    @Test
    void planGrantsArePerPeriodTopUpOnUpgradeAndRollOverAtExpiry() {
        UUID org = UUID.randomUUID();
        Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Instant end = start.plus(Duration.ofDays(30));
        planGrants.topUp(org, "pro", start, end);
        planGrants.topUp(org, "pro", start, end); // a redelivered event
        assertThat(ledger.balance(org, Account.AVAILABLE)).isEqualTo(2_000 * PT);
        planGrants.topUp(org, "free", start, end); // a downgrade takes nothing back, grants nothing
        assertThat(ledger.balance(org, Account.AVAILABLE)).isEqualTo(2_000 * PT);
        debit(org, 1_200 * PT, 0, start.plusSeconds(10));
        // At the period's end, pro rolls over up to 500 PT of the 800 left; the rest expires.
        int expired = grants.expire(org, plan -> plan.equals("pro") ? 500 * PT : 0, end);
        assertThat(expired).isEqualTo(1);
        assertThat(ledger.balance(org, Account.EXPIRED)).isEqualTo(300 * PT);
        assertThat(ledger.balance(org, Account.AVAILABLE)).isEqualTo(500 * PT);
        assertThat(db.sql("select count(*) from credit_blocks where org_id = :org and source = 'rollover'")
                        .param("org", org)
                        .query(Integer.class)
                        .single())
                .isEqualTo(1);
        // The next period's grant.
        planGrants.topUp(org, "pro", end, end.plus(Duration.ofDays(30)));
        assertThat(ledger.balance(org, Account.AVAILABLE)).isEqualTo(2_500 * PT);
        assertInvariants(org, 0, "plan grants");
    }

    @Test
    void lowBalanceWarningsFireOncePerThresholdAndPeriod(AssertablePublishedEvents events) {
        UUID org = UUID.randomUUID(); // no subscription: the default plan (free), thresholds 20 and 5 PT
        Instant now = Instant.now();
        grant(org, 30 * PT, 0, null, now);
        debit(org, 15 * PT, 0, now); // 15: below 20
        debit(org, 1 * PT, 0, now); // 14: nothing new
        grant(org, 10 * PT, 0, null, now); // 24
        debit(org, 10 * PT, 0, now); // 14 again: same period, no second warning
        debit(org, 10 * PT, 0, now); // 4: below 5
        List<CreditBalanceLow> fired = new ArrayList<>();
        events.ofType(CreditBalanceLow.class)
                .matching(CreditBalanceLow::orgId, org::equals)
                .forEach(fired::add);
        assertThat(fired).extracting(w -> w.threshold().intValue()).containsExactly(20, 5);
    }

    @Test
    void purchasesAndClawBacksAreIdempotentOnTheirReference() {
        UUID org = UUID.randomUUID();
        UUID first = creditGrants.grantPurchase(org, new BigDecimal("100.5"), "pi_1");
        UUID again = creditGrants.grantPurchase(org, new BigDecimal("100.5"), "pi_1");
        assertThat(again).isEqualTo(first);
        assertThat(ledger.balance(org, Account.AVAILABLE)).isEqualTo(100_500_000);
        debit(org, 80 * PT, 0, Instant.now());
        // Only what is left can be taken back; a repeat takes nothing more.
        assertThat(creditGrants.clawBack(org, new BigDecimal("100.5"), "re_1", "refunded"))
                .isEqualByComparingTo("20.5");
        assertThat(creditGrants.clawBack(org, new BigDecimal("100.5"), "re_1", "refunded"))
                .isEqualByComparingTo("20.5");
        assertThat(ledger.balance(org, Account.AVAILABLE)).isZero();
        assertInvariants(org, 0, "claw-back");
    }

    @Test
    void aKeyedCallIsAppliedOnceAndAnotherRequestUnderItsKeyIsRefused() {
        UUID org = UUID.randomUUID();
        Instant now = Instant.now();
        grant(org, 100 * PT, 0, null, now);
        UUID caller = UUID.randomUUID();
        byte[] fingerprint = new byte[32];
        CreditRequests.Key key = new CreditRequests.Key(caller, "same", fingerprint);
        var first = calls.run(
                org,
                key,
                201,
                String.class,
                at -> holds.reserve(org, 10 * PT, 0, at.plusSeconds(60), Holds.Context.none(), at)
                        .reservation()
                        .id()
                        .toString());
        var second = calls.run(org, key, 201, String.class, at -> {
            throw new AssertionError("a replay must not run the effect");
        });
        assertThat(second.body()).isEqualTo(first.body());
        assertThat(second.replayed()).isTrue();
        assertThat(ledger.balance(org, Account.HELD)).isEqualTo(10 * PT);
        byte[] other = new byte[32];
        other[0] = 1;
        assertThatThrownBy(() ->
                        calls.run(org, new CreditRequests.Key(caller, "same", other), 201, String.class, at -> "x"))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.code()).isEqualTo("idempotency_key_reused"));
    }

    @Test
    void unitPricesRoundUpToTheNextMicroAndCountTextWithTheTokenizer() {
        // gpt-4o-mini: 1 reference token per input token, 4 per output token; 1 PT = 1,000 reference tokens.
        assertThat(unit.price("gpt-4o-mini", 1_000, 0)).isEqualTo(PT);
        assertThat(unit.price("gpt-4o-mini", 1_000, 250)).isEqualTo(2 * PT);
        assertThat(unit.price("gpt-4o-mini", 1, 0)).isEqualTo(1_000);
        assertThat(unit.price("gpt-4o", 1_000, 1_000)).isEqualTo(80 * PT);
        assertThat(unit.countTokens("gpt-4o-mini", "Hello, world!")).isEqualTo(4);
        assertThatThrownBy(() -> unit.price("no-such-model", 1, 1))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.code()).isEqualTo("unknown_model"));
    }
}
