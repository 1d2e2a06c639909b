package dev.gatehouse.credits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.platform.ApiException;
import dev.gatehouse.platform.BatchLanes;
import dev.gatehouse.support.Poll;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.test.ApplicationModuleTest;
import org.springframework.modulith.test.ApplicationModuleTest.BootstrapMode;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.TestPropertySource;

/**
 * A batch of credit calls is one transaction that reads in a few queries and writes with one statement per table,
 * and is exact: each call sees the ones before it as if they had committed (the same key replays, a reservation
 * made earlier is settled, balances follow), a refusal changes nothing, and the ledger's invariants hold under
 * hundreds of concurrent calls on one and several organizations. Batches are made to form by holding an
 * organization's lane with a call that waits inside its batch until the others are queued behind it.
 *
 * <p>"One statement per table" is read from the rows themselves: rows a transaction inserted carry its id in
 * {@code xmin} and the number of the statement within it in {@code cmin}.
 */
@ApplicationModuleTest(mode = BootstrapMode.ALL_DEPENDENCIES)
@ActiveProfiles("test")
@TestPropertySource(properties = "gatehouse.embedded-db.data-dir=target/embedded-postgres-credits-module")
class LedgerBatchTest {

    private static final long PT = Micros.PER_PT;
    private static final Duration WAIT = Duration.ofSeconds(60);

    private final Ledger ledger;
    private final Holds holds;
    private final Grants grants;
    private final CreditCalls calls;
    private final CreditSettings settings;
    private final Drift drift;
    private final JdbcClient db;
    /** What threads other than the test's threw: the test fails with it. */
    private final ConcurrentLinkedQueue<Throwable> thrown = new ConcurrentLinkedQueue<>();

    LedgerBatchTest(
            Ledger ledger,
            Holds holds,
            Grants grants,
            CreditCalls calls,
            CreditSettings settings,
            Drift drift,
            JdbcClient db) {
        this.ledger = ledger;
        this.holds = holds;
        this.grants = grants;
        this.calls = calls;
        this.settings = settings;
        this.drift = drift;
        this.db = db;
    }

    // ---- one batch, step by step

    @Test
    void callsOfOneBatchSeeEachOtherAndTheSameKeyTwiceAppliesOnce() throws Exception {
        UUID org = UUID.randomUUID();
        Instant now = Instant.now();
        grant(org, 10 * PT, 0, null, now);
        CreditRequests.Key key = new CreditRequests.Key(UUID.randomUUID(), "twice", new byte[32]);
        AtomicInteger reserved = new AtomicInteger();
        AtomicReference<String> reservation = new AtomicReference<>();
        List<Outcome> outcomes = new ArrayList<>();

        CountDownLatch release = new CountDownLatch(1);
        Thread blocker = holdLane(org, release);
        // Queued one after another, so the batch after the blocker's holds them in this order.
        outcomes.add(queue(org, key, at -> {
            reserved.incrementAndGet();
            String id = holds.reserve(org, 10 * PT, 0, at.plusSeconds(600), Holds.Context.none(), at)
                    .reservation()
                    .id()
                    .toString();
            reservation.set(id);
            return id;
        }));
        outcomes.add(queue(org, key, at -> {
            reserved.incrementAndGet();
            return "a second reservation";
        }));
        outcomes.add(queue(org, null, at -> {
            Holds.Reservation r = holds.find(UUID.fromString(reservation.get()));
            return holds.settle(r, 4 * PT, 0, Holds.Context.none(), at)
                    .reservation()
                    .state();
        }));
        // Exactly what the settle gave back, then one micro-PT more than is left.
        outcomes.add(queue(
                org,
                null,
                at -> Long.toString(
                        holds.debit(org, 6 * PT, 0, Holds.Context.none(), at).available())));
        outcomes.add(queue(
                org,
                null,
                at -> Long.toString(
                        holds.debit(org, 1, 0, Holds.Context.none(), at).available())));
        release.countDown();
        blocker.join(WAIT);
        for (Outcome o : outcomes) o.thread.join(WAIT);
        assertThat(thrown).isEmpty();

        assertThat(reserved).as("the key's effect ran once").hasValue(1);
        CreditCalls.Answer<String> first = outcomes.get(0).answer.get();
        CreditCalls.Answer<String> second = outcomes.get(1).answer.get();
        assertThat(first.replayed()).isFalse();
        assertThat(second.replayed()).isTrue();
        assertThat(second.body()).isEqualTo(first.body()).isEqualTo(reservation.get());
        assertThat(outcomes.get(2).answer.get().body()).isEqualTo("settled");
        assertThat(outcomes.get(3).answer.get().body()).isEqualTo("0");
        assertThat(outcomes.get(4).failure.get())
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.code()).isEqualTo("insufficient_credits"));

        // The reserve, the settle and the debit: one transaction, each table written by one statement.
        assertThat(db.sql("""
                                select count(distinct xmin::text) as transactions, count(distinct cmin::text) as statements
                                from credit_transactions where org_id = :org and kind <> 'grant'
                                """)
                        .param("org", org)
                        .query((rs, i) -> List.of(rs.getInt("transactions"), rs.getInt("statements")))
                        .single())
                .containsExactly(1, 1);
        assertThat(db.sql("""
                                select count(*) from credit_reservations
                                where org_id = :org and state = 'settled' and settled_amount = :settled
                                """)
                        .param("org", org)
                        .param("settled", 4 * PT)
                        .query(Integer.class)
                        .single())
                .as("the reservation was inserted settled")
                .isEqualTo(1);
        assertThat(ledger.balance(org, Account.AVAILABLE)).isZero();
        assertThat(ledger.balance(org, Account.HELD)).isZero();
        assertThat(ledger.balance(org, Account.REVENUE)).isEqualTo(10 * PT);
        assertInvariants(List.of(org));
    }

    @Test
    void aRefusalAfterAChangeFailsItsCallAndCommitsNothingOfIt() {
        UUID org = UUID.randomUUID();
        Instant now = Instant.now();
        grant(org, 10 * PT, 0, null, now);
        assertThatThrownBy(() -> calls.run(org, null, 201, String.class, at -> {
                    holds.reserve(org, 3 * PT, 0, at.plusSeconds(60), Holds.Context.none(), at);
                    throw CreditFailures.insufficient(0, 0, 3 * PT, null);
                }))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("a refused credit call changed the ledger");
        assertThat(ledger.balance(org, Account.AVAILABLE)).isEqualTo(10 * PT);
        assertThat(ledger.balance(org, Account.HELD)).isZero();
        assertInvariants(List.of(org));
    }

    // ---- many calls

    @Test
    void hundredsOfConcurrentReservesAndSettlesOnSeveralOrganizationsStayExactAndSetBased() throws Exception {
        Instant now = Instant.now();
        // The busy organization, two more in its lane (so batches hold several organizations), one in another.
        UUID hot = UUID.randomUUID();
        List<UUID> sameLane = new ArrayList<>(List.of(hot));
        UUID elsewhere = null;
        while (sameLane.size() < 3 || elsewhere == null) {
            UUID org = UUID.randomUUID();
            if (lane(org) == lane(hot)) {
                if (sameLane.size() < 3) sameLane.add(org);
            } else if (elsewhere == null) {
                elsewhere = org;
            }
        }
        List<UUID> orgs = new ArrayList<>(sameLane);
        orgs.add(elsewhere);
        for (UUID org : orgs) {
            // Two blocks, so holds and settles span blocks in spending order.
            grant(org, 300 * PT, 0, null, now);
            grant(org, 200 * PT, 1, now.plus(Duration.ofDays(1)), now);
        }

        // Reservations of 25 PT against 500 PT: exactly 20 per organization, whatever the batches.
        Map<UUID, Integer> callsPerOrg = Map.of(hot, 120, sameLane.get(1), 60, sameLane.get(2), 60, elsewhere, 60);
        Map<UUID, List<UUID>> admitted = new ConcurrentHashMap<>();
        AtomicInteger refused = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        Thread blocker = holdLane(hot, release);
        List<Thread> threads = new ArrayList<>();
        List<Thread> queuedBehindBlocker = new ArrayList<>();
        int n = 0;
        for (var e : callsPerOrg.entrySet()) {
            for (int i = 0; i < e.getValue(); i++) {
                UUID org = e.getKey();
                CreditRequests.Key key = n++ % 2 == 0 ? null : key();
                Thread t = start(() -> {
                    try {
                        String id = calls.run(
                                        org,
                                        key,
                                        201,
                                        String.class,
                                        at -> holds.reserve(
                                                        org, 25 * PT, 0, at.plusSeconds(3600), Holds.Context.none(), at)
                                                .reservation()
                                                .id()
                                                .toString())
                                .body();
                        admitted.computeIfAbsent(org, o -> java.util.Collections.synchronizedList(new ArrayList<>()))
                                .add(UUID.fromString(id));
                    } catch (ApiException refusal) {
                        assertThat(refusal.code()).isEqualTo("insufficient_credits");
                        refused.incrementAndGet();
                    }
                });
                threads.add(t);
                if (sameLane.contains(org)) queuedBehindBlocker.add(t);
            }
        }
        Poll.untilTrue(
                WAIT,
                "the lane's calls queued behind the blocker",
                () -> queuedBehindBlocker.stream().allMatch(LedgerBatchTest::waitsInLane));
        release.countDown();
        blocker.join(WAIT);
        for (Thread t : threads) t.join(WAIT);
        assertThat(thrown).isEmpty();
        for (UUID org : orgs)
            assertThat(admitted.get(org)).as("reservations of %s", org).hasSize(20);
        assertThat(refused.get()).isEqualTo(300 - 80);

        // Every reservation settled for 1 to 25 PT, while pairs of reserve 5 PT and settle 2 PT race for what the
        // settles give back.
        AtomicLong revenue = new AtomicLong();
        AtomicInteger pairs = new AtomicInteger();
        threads.clear();
        int i = 0;
        for (UUID org : orgs) {
            for (UUID id : admitted.get(org)) {
                long actual = (1 + i++ % 25) * PT;
                revenue.addAndGet(actual);
                CreditRequests.Key key = i % 2 == 0 ? null : key();
                threads.add(start(() -> calls.run(
                        org,
                        key,
                        id,
                        200,
                        String.class,
                        at -> holds.settle(Objects.requireNonNull(holds.find(id)), actual, 0, Holds.Context.none(), at)
                                .reservation()
                                .state())));
            }
            for (int p = 0; p < 40; p++) {
                threads.add(start(() -> {
                    try {
                        String id = calls.run(
                                        org,
                                        key(),
                                        201,
                                        String.class,
                                        at -> holds.reserve(
                                                        org, 5 * PT, 0, at.plusSeconds(3600), Holds.Context.none(), at)
                                                .reservation()
                                                .id()
                                                .toString())
                                .body();
                        UUID held = UUID.fromString(id);
                        calls.run(
                                org,
                                key(),
                                held,
                                200,
                                String.class,
                                at -> holds.settle(
                                                Objects.requireNonNull(holds.find(held)),
                                                2 * PT,
                                                0,
                                                Holds.Context.none(),
                                                at)
                                        .reservation()
                                        .state());
                        pairs.incrementAndGet();
                        revenue.addAndGet(2 * PT);
                    } catch (ApiException refusal) {
                        assertThat(refusal.code()).isEqualTo("insufficient_credits");
                    }
                }));
            }
        }
        for (Thread t : threads) t.join(WAIT);
        assertThat(thrown).isEmpty();
        assertThat(pairs.get())
                .as("some pairs got credits back from the settles")
                .isPositive();

        long settled = 0;
        for (UUID org : orgs) {
            assertThat(ledger.balance(org, Account.HELD)).as("held by %s", org).isZero();
            settled += ledger.balance(org, Account.REVENUE);
            assertThat(ledger.balance(org, Account.AVAILABLE) + ledger.balance(org, Account.REVENUE))
                    .isEqualTo(500 * PT);
        }
        assertThat(settled).isEqualTo(revenue.get());
        assertThat(db.sql("""
                                select count(*) from credit_reservations
                                where org_id = any(cast(:orgs as uuid[])) and state = 'settled'
                                """).param("orgs", ids(orgs)).query(Integer.class).single())
                .isEqualTo(80 + pairs.get());
        assertInvariants(orgs);

        // Set-based: within each database transaction, all its ledger transactions were inserted by one statement,
        // and all its entries by another; and batches held many calls of several organizations.
        for (String table : List.of("credit_transactions", "credit_entries")) {
            assertThat(db.sql("""
                                    select count(*) from (
                                        select xmin::text from %s where org_id = any(cast(:orgs as uuid[]))
                                        group by xmin::text having count(distinct cmin::text) > 1) t
                                    """.formatted(table))
                            .param("orgs", ids(orgs))
                            .query(Integer.class)
                            .single())
                    .as("transactions that inserted into %s with more than one statement", table)
                    .isZero();
        }
        var largest = db.sql("""
                        select count(*) as calls, count(distinct org_id) as orgs from credit_transactions
                        where org_id = any(cast(:orgs as uuid[])) and kind <> 'grant'
                        group by xmin::text order by count(distinct org_id) desc, count(*) desc limit 1
                        """)
                .param("orgs", ids(orgs))
                .query((rs, r) -> List.of(rs.getInt("calls"), rs.getInt("orgs")))
                .single();
        assertThat(largest.get(0)).as("calls in the largest batch").isGreaterThan(10);
        assertThat(largest.get(1)).as("organizations in one batch").isGreaterThan(1);
    }

    // ---- helpers

    private Thread start(Runnable task) {
        return Thread.ofPlatform().start(() -> {
            try {
                task.run();
            } catch (Throwable e) {
                thrown.add(e);
            }
        });
    }

    private void grant(UUID org, long micros, int priority, @Nullable Instant expiresAt, Instant now) {
        grants.grant(
                new Grants.Grant(org, BlockSource.PROMO, micros, priority, expiresAt, null, null, null, "test", null),
                now);
    }

    private static CreditRequests.Key key() {
        return new CreditRequests.Key(UUID.randomUUID(), "k", new byte[32]);
    }

    private int lane(UUID org) {
        return Math.floorMod(org.hashCode(), settings.callLanes());
    }

    private static String[] ids(List<UUID> orgs) {
        return orgs.stream().map(UUID::toString).toArray(String[]::new);
    }

    /** A call that takes the organization's lane and waits inside its batch until released. */
    private Thread holdLane(UUID org, CountDownLatch release) throws InterruptedException {
        CountDownLatch inside = new CountDownLatch(1);
        Thread blocker = start(() -> calls.run(org, 200, String.class, () -> {
            inside.countDown();
            try {
                assertThat(release.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return "held";
        }));
        assertThat(inside.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        return blocker;
    }

    /** A call queued in its lane; returns once it waits there, so the next one queues behind it. */
    private Outcome queue(
            UUID org, CreditRequests.@Nullable Key key, java.util.function.Function<Instant, String> effect) {
        Outcome outcome = new Outcome();
        outcome.thread = start(() -> {
            try {
                outcome.answer.set(calls.run(org, key, 200, String.class, effect));
            } catch (RuntimeException e) {
                outcome.failure.set(e);
            }
        });
        Poll.untilTrue(WAIT, "the call queued", () -> waitsInLane(outcome.thread));
        return outcome;
    }

    private static final class Outcome {
        Thread thread;
        final AtomicReference<CreditCalls.Answer<String>> answer = new AtomicReference<>();
        final AtomicReference<RuntimeException> failure = new AtomicReference<>();
    }

    /** Whether the thread is parked in {@link BatchLanes#submit}, waiting for its batch. */
    private static boolean waitsInLane(Thread t) {
        return t.getState() == Thread.State.WAITING
                && Arrays.stream(t.getStackTrace())
                        .anyMatch(f -> f.getClassName().equals(BatchLanes.class.getName())
                                && f.getMethodName().equals("submit"));
    }

    /** Every transaction sums to zero, cached balances are the sums of entries, held is what reservations hold. */
    private void assertInvariants(List<UUID> orgs) {
        assertThat(db.sql("""
                                select count(*) from (select transaction_id from credit_entries
                                                      where org_id = any(cast(:orgs as uuid[]))
                                                      group by transaction_id having sum(amount) <> 0) t
                                """).param("orgs", ids(orgs)).query(Integer.class).single())
                .as("unbalanced transactions")
                .isZero();
        for (UUID org : orgs) {
            assertThat(drift.differences(org))
                    .as("cached balances equal derived sums")
                    .isEmpty();
            long heldByReservations =
                    db.sql("""
                            select coalesce(sum(amount), 0) from credit_reservations
                            where org_id = :org and state = 'held'
                            """).param("org", org).query(Long.class).single();
            assertThat(ledger.balance(org, Account.HELD)).isEqualTo(heldByReservations);
            assertThat(db.sql("select coalesce(sum(balance), 0) from credit_accounts where org_id = :org")
                            .param("org", org)
                            .query(Long.class)
                            .single())
                    .as("all accounts sum to zero")
                    .isZero();
        }
    }
}
