package dev.gatehouse.credits;

import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.UUID;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs a credit call in one transaction with its Idempotency-Key: the organization's lock first, then the stored
 * answer for the key (replayed when the request is the same, 422 {@code idempotency_key_reused} when not), else
 * the effect, whose answer is stored in the same transaction. The effect and its answer commit together or not at
 * all, so a retry after a crash (or a {@code kill -9}) finds either both or neither: it is applied exactly once.
 * Refusals (402, 409) change nothing and are not stored; a retry runs again.
 */
@Component
class CreditCalls {

    private final TransactionTemplate tx;
    private final Ledger ledger;
    private final CreditRequests requests;
    private final JsonMapper json;
    private final Clock clock;

    CreditCalls(TransactionTemplate tx, Ledger ledger, CreditRequests requests, JsonMapper json, Clock clock) {
        this.tx = tx;
        this.ledger = ledger;
        this.requests = requests;
        this.json = json;
        this.clock = clock;
    }

    /** An answer, and whether it is a replay of the first one for the key. */
    record Answer<T>(T body, int status, boolean replayed) {}

    /** Thrown inside the transaction when another one stored an answer for the key first: roll back, then replay. */
    private static final class Raced extends RuntimeException {
        Raced() {
            super(null, null, false, false);
        }
    }

    <T> Answer<T> run(
            UUID org,
            CreditRequests.@Nullable Key key,
            int status,
            Class<T> type,
            java.util.function.Function<Instant, T> effect) {
        try {
            Answer<T> answer = tx.execute(s -> {
                ledger.lock(org);
                if (key != null) {
                    Answer<T> replay = replay(key, type);
                    if (replay != null) return replay;
                }
                Instant now = clock.instant();
                T body = effect.apply(now);
                if (key != null && !requests.insert(key, status, json.writeValueAsString(body), now)) {
                    throw new Raced();
                }
                return new Answer<>(body, status, false);
            });
            if (answer == null) throw new IllegalStateException("no answer");
            return answer;
        } catch (Raced raced) {
            // The same key was used concurrently for another organization (same organization ones wait on the lock).
            Answer<T> replay = replay(key, type);
            if (replay == null) throw CreditFailures.idempotencyInProgress();
            return replay;
        }
    }

    /** Runs without a key when none was sent. */
    <T> Answer<T> run(UUID org, int status, Class<T> type, Supplier<T> effect) {
        return run(org, null, status, type, now -> effect.get());
    }

    private <T> @Nullable Answer<T> replay(CreditRequests.Key key, Class<T> type) {
        CreditRequests.Stored stored = requests.find(key);
        if (stored == null) return null;
        if (!Arrays.equals(stored.fingerprint(), key.fingerprint())) throw CreditFailures.idempotencyKeyReused();
        return new Answer<>(json.readValue(stored.response(), type), stored.status(), true);
    }
}
