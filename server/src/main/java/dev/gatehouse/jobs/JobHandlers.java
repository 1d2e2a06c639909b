package dev.gatehouse.jobs;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.stereotype.Component;

/**
 * The {@link JobHandler} beans by type. Looked up lazily rather than injected, because handlers may
 * themselves enqueue jobs, and an eager list would make the job runner depend on its own clients.
 */
@Component
class JobHandlers implements SmartInitializingSingleton {

    private static final Pattern TYPE = Pattern.compile("[a-z0-9][a-z0-9._-]{0,99}");

    private final ObjectProvider<JobHandler<?>> provider;
    private volatile @Nullable Map<String, JobHandler<?>> byType;

    JobHandlers(ObjectProvider<JobHandler<?>> provider) {
        this.provider = provider;
    }

    /** Fails the start-up, not the first job, when two handlers claim one type or a type is malformed. */
    @Override
    public void afterSingletonsInstantiated() {
        all();
    }

    Optional<JobHandler<?>> find(String type) {
        return Optional.ofNullable(all().get(type));
    }

    private Map<String, JobHandler<?>> all() {
        Map<String, JobHandler<?>> current = byType;
        if (current != null) return current;
        Map<String, JobHandler<?>> built = new LinkedHashMap<>();
        provider.orderedStream().forEach(handler -> {
            String type = handler.type().name();
            if (!TYPE.matcher(type).matches()) {
                throw new IllegalStateException(
                        "Job type '" + type + "' of " + handler.getClass().getName()
                                + " must be lower case letters, digits, '.', '_' or '-' (at most 100)");
            }
            JobHandler<?> previous = built.putIfAbsent(type, handler);
            if (previous != null) {
                throw new IllegalStateException("Job type '" + type + "' is handled by both "
                        + previous.getClass().getName() + " and "
                        + handler.getClass().getName());
            }
        });
        byType = Map.copyOf(built);
        return built;
    }
}
