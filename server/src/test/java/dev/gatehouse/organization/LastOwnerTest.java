package dev.gatehouse.organization;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.support.Http;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataAccessException;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * An active organization always keeps an owner: the API refuses with 409 {@code last_owner}, and the
 * database's deferred constraint trigger refuses any transaction that would commit an owner-less organization,
 * also under concurrency.
 */
class LastOwnerTest extends OrgEndToEndTest {

    @Autowired
    PlatformTransactionManager transactions;

    @Autowired
    OrgTransactions orgTransactions;

    private TransactionTemplate tx() {
        return new TransactionTemplate(transactions);
    }

    @Test
    void theApiRefusesToDemoteOrRemoveTheLastOwner() {
        User first = user("sole");
        User second = user("heir");
        UUID orgId = createOrg(first, "Sole");
        join(first, orgId, second, "admin");

        assertProblem(
                http.patch(member(orgId, first.id()))
                        .bearer(first.token())
                        .json("role", "member")
                        .send(),
                409,
                "last_owner");
        assertProblem(
                http.delete(member(orgId, first.id())).bearer(first.token()).send(), 409, "last_owner");

        // With a second owner, the first may step down.
        assertThat(http.patch(member(orgId, second.id()))
                        .bearer(first.token())
                        .json("role", "owner")
                        .send()
                        .status())
                .isEqualTo(200);
        Http.Response stepDown = http.patch(member(orgId, first.id()))
                .bearer(first.token())
                .json("role", "member")
                .send();
        assertThat(stepDown.status()).as(stepDown.toString()).isEqualTo(200);
        assertProblem(
                http.delete(member(orgId, second.id())).bearer(second.token()).send(), 409, "last_owner");
        assertThat(owners(orgId)).isEqualTo(1);
    }

    @Test
    void theTriggerRefusesToCommitAnOrganizationWithoutOwners() {
        User owner = user("trigger");
        User other = user("trigger-other");
        UUID orgId = createOrg(owner, "Triggered");
        join(owner, orgId, other, "member");

        assertThatThrownBy(() -> tx().executeWithoutResult(s -> db.sql(
                                "update org_members set role = 'admin' where org_id = :org and user_id = :user")
                        .param("org", orgId)
                        .param("user", owner.id())
                        .update()))
                .isInstanceOf(DataAccessException.class)
                .hasStackTraceContaining("org_keeps_an_owner");
        assertThatThrownBy(() -> tx().executeWithoutResult(
                                s -> db.sql("delete from org_members where org_id = :org and user_id = :user")
                                        .param("org", orgId)
                                        .param("user", owner.id())
                                        .update()))
                .isInstanceOf(DataAccessException.class)
                .hasStackTraceContaining("org_keeps_an_owner");
        assertThat(roleOf(orgId, owner.id())).isEqualTo("owner");

        // Deferred to commit: a transaction may pass through zero owners if it ends with one.
        tx().executeWithoutResult(s -> {
            db.sql("update org_members set role = 'member' where org_id = :org and user_id = :user")
                    .param("org", orgId)
                    .param("user", owner.id())
                    .update();
            db.sql("update org_members set role = 'owner' where org_id = :org and user_id = :user")
                    .param("org", orgId)
                    .param("user", other.id())
                    .update();
        });
        assertThat(roleOf(orgId, other.id())).isEqualTo("owner");

        // An organization created without any owner is refused too.
        UUID bare = UUID.randomUUID();
        assertThatThrownBy(() -> tx().executeWithoutResult(s ->
                        db.sql("""
                                insert into organizations (id, name, created_by, created_at, updated_at)
                                values (:id, 'Ownerless', :by, now(), now())
                                """).param("id", bare).param("by", owner.id()).update()))
                .isInstanceOf(DataAccessException.class)
                .hasStackTraceContaining("org_keeps_an_owner");

        // A deleted organization is no longer held to it.
        db.sql("update organizations set deleted_at = now() where id = :id")
                .param("id", orgId)
                .update();
        db.sql("delete from org_members where org_id = :org")
                .param("org", orgId)
                .update();
        assertThat(owners(orgId)).isZero();
    }

    @Test
    void twentyConcurrentRemovalsAndDemotionsThroughTheApiLeaveExactlyOneOwner() throws Exception {
        for (int round = 0; round < 2; round++) {
            User a = user("race-a");
            User b = user("race-b");
            UUID orgId = createOrg(a, "Race " + round);
            join(a, orgId, b, "owner");
            assertThat(owners(orgId)).isEqualTo(2);

            // Each owner tries to remove or demote the other, or to leave: every request alone would succeed.
            List<Http.Request> requests = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                User actor = i % 2 == 0 ? a : b;
                User target = i % 2 == 0 ? b : a;
                requests.add(
                        switch (i % 5) {
                            case 0, 1 -> http.delete(member(orgId, target.id())).bearer(actor.token());
                            case 2, 3 ->
                                http.patch(member(orgId, target.id()))
                                        .bearer(actor.token())
                                        .json("role", i % 2 == 0 ? "admin" : "member");
                            default -> http.delete(member(orgId, actor.id())).bearer(actor.token());
                        });
            }
            Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
            CountDownLatch start = new CountDownLatch(1);
            try (ExecutorService pool = Executors.newFixedThreadPool(20)) {
                List<Future<?>> done = new ArrayList<>();
                for (Http.Request request : requests) {
                    done.add(pool.submit(() -> {
                        start.await();
                        Http.Response r = request.send();
                        statuses.computeIfAbsent(r.status(), k -> new AtomicInteger())
                                .incrementAndGet();
                        if (r.status() >= 400) {
                            assertThat(r.code()).as(r.toString()).isIn("last_owner", "forbidden", "not_found");
                        }
                        return null;
                    }));
                }
                start.countDown();
                for (Future<?> f : done) f.get();
            }
            assertThat(owners(orgId)).as("owners after %s", statuses).isEqualTo(1);
            assertThat(statuses.keySet()).as("%s", statuses).doesNotContain(500);
        }
    }

    @Test
    void twentyConcurrentTransactionsAgainstTheTriggerLeaveExactlyOneOwner() throws Exception {
        User a = user("sql-a");
        User b = user("sql-b");
        UUID orgId = createOrg(a, "SQL race");
        join(a, orgId, b, "owner");

        // Bypasses the application (and its row lock): only the trigger stands between these and zero owners.
        AtomicInteger committed = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        try (ExecutorService pool = Executors.newFixedThreadPool(20)) {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                UUID target = i % 2 == 0 ? a.id() : b.id();
                String sql = i % 4 < 2
                        ? "delete from org_members where org_id = :org and user_id = :user"
                        : "update org_members set role = 'member', updated_at = now() where org_id = :org and user_id = :user";
                done.add(pool.submit(() -> {
                    start.await();
                    try {
                        tx().executeWithoutResult(s -> db.sql(sql)
                                .param("org", orgId)
                                .param("user", target)
                                .update());
                        committed.incrementAndGet();
                    } catch (DataAccessException e) {
                        assertThat(e).hasStackTraceContaining("org_keeps_an_owner");
                        refused.incrementAndGet();
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) f.get();
        }
        assertThat(owners(orgId)).isEqualTo(1);
        assertThat(refused.get())
                .as("committed %s, refused %s", committed, refused)
                .isPositive();
        assertThat(committed.get() + refused.get()).isEqualTo(20);
    }

    @Test
    void theTriggerSeesAConcurrentRemovalOfTheOtherOwner() throws Exception {
        User a = user("pair-a");
        User b = user("pair-b");
        UUID orgId = createOrg(a, "Pair");
        join(a, orgId, b, "owner");

        // The interleaving that defeats a naive check, forced step by step: T1 and T2 each remove one of the two
        // owners; T1 runs the (deferred) check, then T2 does while T1 has not committed yet. Without a lock, T2
        // would still see T1's owner and both would commit. The trigger locks the organization row, so T2 waits
        // for T1 to commit, then sees no owner left and fails.
        String check = "set constraints org_members_keep_an_owner immediate";
        String remove = "delete from org_members where org_id = :org and user_id = :user";
        CountDownLatch bothRemoved = new CountDownLatch(2);
        CountDownLatch firstChecked = new CountDownLatch(1);
        CountDownLatch secondChecked = new CountDownLatch(1);
        java.util.concurrent.atomic.AtomicLong secondPid = new java.util.concurrent.atomic.AtomicLong();
        try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
            Future<?> first = pool.submit(() -> tx().executeWithoutResult(s -> {
                db.sql(remove).param("org", orgId).param("user", a.id()).update();
                await(bothRemoved, true);
                db.sql(check).update();
                firstChecked.countDown();
                // Commit only once T2's check has run or is blocked on a lock: the moment a race would happen.
                long deadline =
                        System.nanoTime() + java.time.Duration.ofSeconds(20).toNanos();
                while (secondChecked.getCount() > 0 && !waitingOnLock(secondPid.get())) {
                    if (System.nanoTime() > deadline) throw new AssertionError("T2 neither checked nor waited");
                    Thread.onSpinWait();
                }
            }));
            Future<?> second = pool.submit(() -> tx().executeWithoutResult(s -> {
                secondPid.set(
                        db.sql("select pg_backend_pid()").query(Long.class).single());
                db.sql(remove).param("org", orgId).param("user", b.id()).update();
                await(bothRemoved, true);
                await(firstChecked, false);
                try {
                    db.sql(check).update();
                } finally {
                    secondChecked.countDown();
                }
            }));
            first.get();
            assertThatThrownBy(second::get).hasStackTraceContaining("org_keeps_an_owner");
        }
        assertThat(owners(orgId)).isEqualTo(1);
        assertThat(roleOf(orgId, b.id())).isEqualTo("owner");
    }

    private static void await(CountDownLatch latch, boolean countDown) {
        if (countDown) latch.countDown();
        try {
            if (!latch.await(20, java.util.concurrent.TimeUnit.SECONDS)) throw new AssertionError("latch timed out");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private boolean waitingOnLock(long pid) {
        return pid != 0
                && db.sql(
                                "select exists (select 1 from pg_stat_activity where pid = :pid and wait_event_type = 'Lock')")
                        .param("pid", pid)
                        .query(Boolean.class)
                        .single();
    }

    @Test
    void aWriteThatSlipsPastTheChecksGetsLastOwnerNotAServerError() {
        User owner = user("slip");
        UUID orgId = createOrg(owner, "Slipped");
        // A write that skips the application's check (as a bug would): the trigger refuses it at commit, and the
        // module's transaction wrapper turns that into the API's 409 problem.
        assertThatThrownBy(() -> orgTransactions.write(
                        () -> db.sql("update org_members set role = 'billing' where org_id = :org and user_id = :user")
                                .param("org", orgId)
                                .param("user", owner.id())
                                .update()))
                .isInstanceOfSatisfying(
                        dev.gatehouse.platform.ApiException.class,
                        e -> assertThat(e.code()).isEqualTo("last_owner"));
        assertThat(roleOf(orgId, owner.id())).isEqualTo("owner");
    }
}
