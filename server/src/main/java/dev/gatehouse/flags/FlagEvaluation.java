package dev.gatehouse.flags;

import dev.gatehouse.client.flags.Evaluation;
import dev.gatehouse.client.flags.FlagContext;
import org.springframework.stereotype.Service;

/** {@link FeatureFlags} on this node's {@link FlagCache}. */
@Service
class FlagEvaluation implements FeatureFlags {

    private final FlagCache cache;

    FlagEvaluation(FlagCache cache) {
        this.cache = cache;
    }

    @Override
    public Evaluation evaluate(String key, FlagContext context) {
        return cache.current().engine().evaluate(key, context);
    }

    @Override
    public boolean killSwitchActive(String name) {
        var snapshot = cache.current().engine().snapshot();
        return name.equals(FlagCache.GLOBAL)
                ? snapshot.globalKill()
                : snapshot.killed().contains(name);
    }
}
