package dev.gatehouse.onboarding;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A checklist version as the admin API shows it.
 *
 * @param version its number; numbers are never reused
 * @param createdBy the admin who created it; absent for the seeded default
 * @param activatedAt when a migration made it the active version
 * @param retiredAt when a migration replaced it
 * @param steps its steps, in checklist order
 */
record ChecklistVersionView(
        int version,
        VersionState state,
        @Nullable String description,
        @Nullable UUID createdBy,
        Instant createdAt,
        @Nullable Instant activatedAt,
        @Nullable Instant retiredAt,
        List<ChecklistStep> steps) {

    /** A step as defined, with its filters and gates. */
    record ChecklistStep(
            String key,
            String title,
            @Nullable String description,
            int weight,
            boolean required,
            List<String> markets,
            List<String> roles,
            List<String> gates) {

        static ChecklistStep of(Step s) {
            return new ChecklistStep(
                    s.key(), s.title(), s.description(), s.weight(), s.required(), s.markets(), s.roles(), s.gates());
        }
    }

    static ChecklistVersionView of(Versions.Version v, List<Step> steps) {
        return new ChecklistVersionView(
                v.number(),
                v.state(),
                v.description(),
                v.createdBy(),
                v.createdAt(),
                v.activatedAt(),
                v.retiredAt(),
                steps.stream().map(ChecklistStep::of).toList());
    }

    /** A page of versions, newest first. */
    record ChecklistVersionPage(
            List<ChecklistVersionView> data, @Nullable String nextCursor) {}

    /**
     * What a migration did.
     *
     * @param fromVersion the version that was active, now retired
     * @param toVersion the draft that is now active
     * @param users users with stored progress, all moved to the new version
     * @param doneKept done steps carried over (steps the new version has, by key)
     * @param skippedReset skipped steps reset to todo
     * @param todoKept todo steps carried over
     * @param dropped stored states of steps the new version does not have, deleted
     */
    record ChecklistMigration(
            int fromVersion,
            int toVersion,
            int users,
            int doneKept,
            int skippedReset,
            int todoKept,
            int dropped,
            Instant migratedAt) {}
}
