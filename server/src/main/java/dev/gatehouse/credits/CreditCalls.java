package dev.gatehouse.credits;

import dev.gatehouse.platform.ApiException;
import dev.gatehouse.platform.BatchLanes;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs a credit call in a transaction with its Idempotency-Key: the organization's lock first, then the stored
 * answer for the key (replayed when the request is the same, 422 {@code idempotency_key_reused} when not), else
 * the effect, whose answer is stored in the same transaction. The effect and its answer commit together or not at
 * all, so a retry after a crash (or a {@code kill -9}) finds either both or neither: it is applied exactly once.
 * Refusals (402, 409, 422) change nothing and are not stored; a retry runs again.
 *
 * <p><b>Batched.</b> Calls that wait together are decided together ({@link BatchLanes}, in lanes by organization):
 * one transaction locks every organization of the batch, runs the calls one after another in arrival order, each
 * seeing the ones before it exactly as if they had committed, and commits once. That is what lets one busy
 * organization go faster than PostgreSQL can flush commits one after another on its account row. A refusal does
 * not spoil the batch, because every effect checks before it writes (the balance, the reservation's state, the
 * key); anything else that fails a batch makes each of its calls run again alone, so one call cannot fail others.
 *
 * <p><b>Set-based.</b> The calls run on a {@link LedgerBatch} and on the batch's stored answers, both read in a few
 * queries after the locks; their postings, reservations and answers are written at the end with one statement per
 * table. A batch costs about a dozen statements however many calls it holds, where each call cost about ten. An
 * answer stored meanwhile by another transaction (the same key sent for another organization) makes the batch's
 * answer insert come up short: the batch rolls back and its calls run again alone, where such a call replays.
 */
@Component
class CreditCalls {

    private final TransactionTemplate tx;
    private final Ledger ledger;
    private final CreditRequests requests;
    private final JsonMapper json;
    private final Clock clock;
    private final BatchLanes<Call<?>> lanes;

    CreditCalls(
            TransactionTemplate tx,
            Ledger ledger,
            CreditRequests requests,
            JsonMapper json,
            Clock clock,
            CreditSettings settings) {
        this.tx = tx;
        this.ledger = ledger;
        this.requests = requests;
        this.json = json;
        this.clock = clock;
        this.lanes = new BatchLanes<>(settings.callLanes(), settings.callBatch(), this::decide);
    }

    /** An answer, and whether it is a replay of the first one for the key. */
    record Answer<T>(T body, int status, boolean replayed) {}

    /** Thrown inside the transaction when another one stored an answer for the key first: roll back, then replay. */
    private static final class Raced extends RuntimeException {
        Raced() {
            super(null, null, false, false);
        }
    }

    /** One call waiting for its batch, and how it ended: an answer, or what to throw to its caller. */
    private final class Call<T> {
        final UUID org;
        final CreditRequests.@Nullable Key key;
        final @Nullable UUID reservation;
        final int status;
        final Class<T> type;
        final Function<Instant, T> effect;

        @Nullable
        Answer<T> answer;

        @Nullable
        RuntimeException failure;

        Call(
                UUID org,
                CreditRequests.@Nullable Key key,
                @Nullable UUID reservation,
                int status,
                Class<T> type,
                Function<Instant, T> effect) {
            this.org = org;
            this.key = key;
            this.reservation = reservation;
            this.status = status;
            this.type = type;
            this.effect = effect;
        }

        /**
         * Runs the call inside the batch's transaction, which holds its organization's lock: replays the answer
         * stored for its key (before the batch, or by an earlier call of it), else runs the effect and keeps its
         * answer in {@code answers} (for later calls with the key) and {@code fresh} (to store).
         */
        void decideLocked(
                Instant now,
                LedgerBatch batch,
                Map<CreditRequests.CallerKey, CreditRequests.Stored> answers,
                List<CreditRequests.New> fresh) {
            answer = null;
            failure = null;
            int changes = batch.changes();
            try {
                if (key != null) {
                    CreditRequests.Stored stored = answers.get(key.callerKey());
                    if (stored != null) {
                        answer = replay(key, stored, type);
                        return;
                    }
                }
                T body = effect.apply(now);
                if (key != null) {
                    String response = json.writeValueAsString(body);
                    answers.put(key.callerKey(), new CreditRequests.Stored(key.fingerprint(), status, response));
                    fresh.add(new CreditRequests.New(key, status, response));
                }
                answer = new Answer<>(body, status, false);
            } catch (ApiException refused) {
                // The batch goes on without the call, so it must have changed nothing (see the class comment).
                if (batch.changes() != changes) {
                    throw new IllegalStateException("a refused credit call changed the ledger", refused);
                }
                failure = refused;
            }
        }

        /** After a race on the key with another organization's call (same organization ones wait on the lock). */
        void replayAfterRace() {
            try {
                CreditRequests.Stored stored =
                        key == null ? null : requests.find(List.of(key)).get(key.callerKey());
                if (stored == null) failure = CreditFailures.idempotencyInProgress();
                else answer = replay(key, stored, type);
            } catch (ApiException refused) {
                failure = refused;
            }
        }
    }

    <T> Answer<T> run(
            UUID org, CreditRequests.@Nullable Key key, int status, Class<T> type, Function<Instant, T> effect) {
        return run(org, key, null, status, type, effect);
    }

    /**
     * Runs a call on a reservation (a settle, a release), which its batch loads with the others' in one query.
     * Its effect finds it with {@link Holds#find}.
     */
    <T> Answer<T> run(
            UUID org,
            CreditRequests.@Nullable Key key,
            @Nullable UUID reservation,
            int status,
            Class<T> type,
            Function<Instant, T> effect) {
        Call<T> call = new Call<>(org, key, reservation, status, type, effect);
        lanes.submit(org, call);
        if (call.failure != null) throw call.failure;
        if (call.answer == null) throw new IllegalStateException("a credit call was left undecided");
        return call.answer;
    }

    /** Runs without a key when none was sent. */
    <T> Answer<T> run(UUID org, int status, Class<T> type, Supplier<T> effect) {
        return run(org, null, status, type, now -> effect.get());
    }

    /** Decides a batch in one transaction; if that fails, each call alone. */
    private void decide(List<Call<?>> batch) {
        if (batch.size() == 1) {
            decideAlone(batch.getFirst());
            return;
        }
        try {
            inTransaction(batch);
        } catch (RuntimeException e) {
            for (Call<?> call : batch) decideAlone(call);
        }
    }

    private void decideAlone(Call<?> call) {
        try {
            inTransaction(List.of(call));
        } catch (Raced raced) {
            call.answer = null;
            call.replayAfterRace();
        } catch (RuntimeException e) {
            call.answer = null;
            call.failure = e;
        }
    }

    private void inTransaction(List<Call<?>> calls) {
        tx.executeWithoutResult(s -> {
            LedgerBatch batch = ledger.open(
                    calls.stream().map(c -> c.org).toList(),
                    calls.stream()
                            .map(c -> c.reservation)
                            .filter(Objects::nonNull)
                            .toList());
            Map<CreditRequests.CallerKey, CreditRequests.Stored> answers = requests.find(
                    calls.stream().map(c -> c.key).filter(Objects::nonNull).toList());
            List<CreditRequests.New> fresh = new ArrayList<>();
            Instant now = clock.instant();
            for (Call<?> call : calls) call.decideLocked(now, batch, answers, fresh);
            batch.flush();
            if (requests.insert(fresh, now) < fresh.size()) throw new Raced();
        });
    }

    private <T> Answer<T> replay(CreditRequests.Key key, CreditRequests.Stored stored, Class<T> type) {
        if (!Arrays.equals(stored.fingerprint(), key.fingerprint())) throw CreditFailures.idempotencyKeyReused();
        return new Answer<>(json.readValue(stored.response(), type), stored.status(), true);
    }
}
