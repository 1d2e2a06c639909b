package dev.gatehouse.onboarding;

import dev.gatehouse.audit.AuditEntry;
import dev.gatehouse.audit.AuditLog;
import dev.gatehouse.platform.AdvisoryLock;
import dev.gatehouse.platform.Caller;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Checklist versions, managed by admins: drafts are created whole and deleted if unwanted; a migration makes a
 * draft the active version and moves every user's progress to it. Each change is audited in its transaction.
 *
 * <p><b>Version migration</b> runs in one transaction under the {@link AdvisoryLock#ONBOARDING_VERSION} lock held
 * exclusively: no read or change of progress runs while it does (they hold the lock shared), so every one sees
 * either the old version with the old states or the new one with the moved states. Progress follows step keys:
 * done steps are kept, skipped ones are reset to todo, steps the new version lacks are dropped, and new steps start
 * as todo. Progress percentages are derived from the states on every read (see {@link Checklist}), so the first
 * read after the commit shows them recomputed with the new weights and steps.
 */
@Service
class ChecklistVersions {

    private final JdbcClient db;
    private final Versions versions;
    private final StepStates states;
    private final AuditLog audit;
    private final TransactionTemplate tx;
    private final Clock clock;

    ChecklistVersions(
            JdbcClient db, Versions versions, StepStates states, AuditLog audit, TransactionTemplate tx, Clock clock) {
        this.db = db;
        this.versions = versions;
        this.states = states;
        this.audit = audit;
        this.tx = tx;
        this.clock = clock;
    }

    ChecklistVersionView.ChecklistVersionPage page(@Nullable Integer before, int limit) {
        List<Versions.Version> rows = versions.page(before, limit + 1);
        List<Versions.Version> shown = rows.size() > limit ? rows.subList(0, limit) : rows;
        Map<Integer, List<Step>> steps =
                versions.steps(shown.stream().map(Versions.Version::number).toList());
        return new ChecklistVersionView.ChecklistVersionPage(
                shown.stream()
                        .map(v -> ChecklistVersionView.of(v, steps.getOrDefault(v.number(), List.of())))
                        .toList(),
                rows.size() > limit ? VersionCursor.encode(shown.getLast().number()) : null);
    }

    ChecklistVersionView get(int number) {
        Versions.Version version = versions.find(number).orElseThrow(OnboardingFailures::versionNotFound);
        return ChecklistVersionView.of(version, versions.steps(number));
    }

    ChecklistVersionView create(Caller caller, OnboardingRequests.NewChecklistVersion request) {
        List<Step> steps = request.definitions();
        Instant now = now();
        return inTransaction(() -> {
            int number = versions.insertDraft(request.description(), caller.userId(), now, steps);
            audit.record(AuditEntry.by(caller, "onboarding.version_created")
                    .target("onboarding_version", number)
                    .detail("steps", steps.stream().map(Step::key).toList()));
            return get(number);
        });
    }

    void delete(Caller caller, int number) {
        inTransaction(() -> {
            AdvisoryLock.ONBOARDING_VERSION.acquire(db);
            Versions.Version version = versions.find(number).orElseThrow(OnboardingFailures::versionNotFound);
            version.state().checkDeletable();
            versions.delete(number);
            audit.record(AuditEntry.by(caller, "onboarding.version_deleted").target("onboarding_version", number));
            return number;
        });
    }

    /** Makes the draft the active version and moves every user's progress to it, all in one transaction. */
    ChecklistVersionView.ChecklistMigration migrate(Caller caller, int to) {
        Instant now = now();
        return inTransaction(() -> {
            AdvisoryLock.ONBOARDING_VERSION.acquire(db);
            Versions.Version target = versions.find(to).orElseThrow(OnboardingFailures::versionNotFound);
            target.state().activate();
            int from = versions.active();
            versions.find(from).orElseThrow().state().retire();
            StepStates.Moved moved = states.migrate(from, to, now);
            versions.retire(from, now);
            versions.activate(to, now);
            ChecklistVersionView.ChecklistMigration result = new ChecklistVersionView.ChecklistMigration(
                    from,
                    to,
                    moved.users(),
                    moved.doneKept(),
                    moved.skippedReset(),
                    moved.todoKept(),
                    moved.dropped(),
                    now);
            audit.record(AuditEntry.by(caller, "onboarding.version_migrated")
                    .target("onboarding_version", to)
                    .detail("from_version", from)
                    .detail("users", moved.users())
                    .detail("done_kept", moved.doneKept())
                    .detail("skipped_reset", moved.skippedReset())
                    .detail("todo_kept", moved.todoKept())
                    .detail("dropped", moved.dropped()));
            return result;
        });
    }

    private <T> T inTransaction(Supplier<T> work) {
        T result = tx.execute(status -> work.get());
        if (result == null) throw new IllegalStateException("the transaction returned nothing");
        return result;
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
