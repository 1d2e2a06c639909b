package dev.gatehouse.flags;

import dev.gatehouse.flags.FlagDocs.DependencyDoc;
import dev.gatehouse.flags.FlagDocs.StrategyDoc;
import dev.gatehouse.flags.FlagDocs.VariantDoc;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A flag as the admin API shows it.
 *
 * @param killed whether its kill switch (or the global one) is on: then it is off for everyone
 */
record FlagView(
        String key,
        String kind,
        @Nullable String description,
        boolean enabled,
        boolean killed,
        List<StrategyDoc> strategies,
        List<VariantDoc> variants,
        List<DependencyDoc> dependencies,
        long version,
        Instant createdAt,
        @Nullable UUID createdBy,
        Instant updatedAt,
        @Nullable UUID updatedBy) {

    static FlagView of(FlagRows.StoredFlag s, FlagCache cache) {
        var snapshot = cache.current().engine().snapshot();
        var f = s.flag();
        return new FlagView(
                f.key(),
                f.kind().wire(),
                f.description(),
                f.enabled(),
                snapshot.globalKill() || snapshot.killed().contains(f.key()),
                f.strategies().stream().map(StrategyDoc::of).toList(),
                f.variants().stream().map(VariantDoc::of).toList(),
                f.dependencies().stream().map(DependencyDoc::of).toList(),
                s.version(),
                s.createdAt(),
                s.createdBy(),
                s.updatedAt(),
                s.updatedBy());
    }

    record FlagList(List<FlagView> data) {}

    /** A flag's definition without bookkeeping, as kept in each version. */
    record Definition(
            String key,
            String kind,
            @Nullable String description,
            boolean enabled,
            List<StrategyDoc> strategies,
            List<VariantDoc> variants,
            List<DependencyDoc> dependencies) {

        static Definition of(dev.gatehouse.client.flags.Flag f) {
            return new Definition(
                    f.key(),
                    f.kind().wire(),
                    f.description(),
                    f.enabled(),
                    f.strategies().stream().map(StrategyDoc::of).toList(),
                    f.variants().stream().map(VariantDoc::of).toList(),
                    f.dependencies().stream().map(DependencyDoc::of).toList());
        }
    }
}
