package dev.gatehouse.onboarding;

import dev.gatehouse.platform.AdvisoryLock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Users' checklists: reading one, changing a step's state, snoozing.
 *
 * <p><b>Optimistic locking.</b> A change names the {@code row_version} the client read. Under the step's row lock
 * (taken after writing its {@code todo} row if it had none, so a first change races on one row too) a version
 * other than the current one is refused with 409 and the current state, and only then is the move itself judged
 * (422 for a move the state machine does not allow). Of many concurrent changes naming the same version, the first
 * to lock the row wins and moves the version on; every other one then finds a newer version.
 *
 * <p>Every read and change holds the {@link AdvisoryLock#ONBOARDING_VERSION} lock shared, so none runs halfway
 * through a version migration, which holds it exclusively.
 */
@Service
class Checklists {

    /** A day: the window of the snooze limit. */
    static final Duration DAY = Duration.ofDays(1);

    private final JdbcClient db;
    private final Versions versions;
    private final StepStates states;
    private final OnboardingUsers users;
    private final Snoozes snoozes;
    private final OnboardingSettings settings;
    private final TransactionTemplate tx;
    private final Clock clock;

    Checklists(
            JdbcClient db,
            Versions versions,
            StepStates states,
            OnboardingUsers users,
            Snoozes snoozes,
            OnboardingSettings settings,
            TransactionTemplate tx,
            Clock clock) {
        this.db = db;
        this.versions = versions;
        this.states = states;
        this.users = users;
        this.snoozes = snoozes;
        this.settings = settings;
        this.tx = tx;
        this.clock = clock;
    }

    /** The user's checklist for the audience: the active version's steps that apply, with the user's states. */
    Checklist of(UUID userId, Audience audience) {
        Instant now = now();
        return inTransaction(() -> {
            AdvisoryLock.ONBOARDING_VERSION.acquireShared(db);
            int version = versions.active();
            return Checklist.of(
                    version,
                    versions.steps(version),
                    states.of(userId),
                    audience,
                    users.snoozedUntil(userId, now).orElse(null));
        });
    }

    /**
     * Moves the user's step to {@code target}, if the user read the current {@code rowVersion}.
     *
     * @throws dev.gatehouse.platform.ApiException 404 for a step the active version does not have, 409
     *     {@code stale_row_version} with the current state, 422 {@code invalid_transition} or {@code required_step}
     */
    ChecklistView.StepView change(UUID userId, String key, StepStatus target, int rowVersion) {
        Instant now = now();
        return inTransaction(() -> {
            AdvisoryLock.ONBOARDING_VERSION.acquireShared(db);
            int version = versions.active();
            Step step = versions.steps(version).stream()
                    .filter(s -> s.key().equals(key))
                    .findFirst()
                    .orElseThrow(OnboardingFailures::stepNotFound);
            users.ensure(userId, now);
            StepState current = states.lock(userId, version, key, now);
            if (current.rowVersion() != rowVersion) {
                throw OnboardingFailures.staleRowVersion(ChecklistView.StepView.of(step, current));
            }
            StepStatus next = current.status().moveTo(target, step.required());
            return ChecklistView.StepView.of(step, states.write(userId, key, current, next, now));
        });
    }

    /**
     * A snooze that was granted.
     *
     * @param snoozedUntil when the nudge shows again
     * @param remaining how many more snoozes the user may make in the current 24 hours
     */
    record Snoozed(Instant snoozedUntil, int remaining) {}

    /**
     * Hides the user's nudge for the configured duration, at most {@code per-day} times in any 24 hours. The
     * count is a business rule over the user's own snoozes, counted under the user's row lock so that concurrent
     * snoozes cannot all slip under the limit.
     *
     * @throws dev.gatehouse.platform.ApiException 429 {@code snooze_limit_reached} with {@code Retry-After}
     */
    Snoozed snooze(UUID userId) {
        Instant now = now();
        OnboardingSettings.Snooze rule = settings.snooze();
        return inTransaction(() -> {
            users.ensure(userId, now);
            users.lock(userId);
            Instant windowStart = now.minus(DAY);
            snoozes.forget(userId, windowStart);
            List<Instant> recent = snoozes.since(userId, windowStart);
            if (recent.size() >= rule.perDay()) {
                // The snooze whose leaving the window brings the count below the limit.
                Instant leaves = recent.get(recent.size() - rule.perDay()).plus(DAY);
                throw OnboardingFailures.snoozeLimitReached(rule.perDay(), leaves, now);
            }
            Instant until = now.plus(rule.duration());
            snoozes.insert(userId, now, until);
            users.snooze(userId, until);
            return new Snoozed(until, rule.perDay() - recent.size() - 1);
        });
    }

    private <T> T inTransaction(Supplier<T> work) {
        T result = tx.execute(status -> work.get());
        if (result == null) throw new IllegalStateException("the transaction returned nothing");
        return result;
    }

    private Instant now() {
        // PostgreSQL keeps microseconds; answers should show what is stored.
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
