package dev.gatehouse.metering;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.gatehouse.organization.OrganizationDeleted;
import dev.gatehouse.organization.OrganizationDirectory;
import java.time.Duration;
import java.util.UUID;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Which organizations exist, remembered briefly by each node: a batch of events names the same few
 * organizations again and again, and asking the organization module for each would cost a query per batch.
 * A deletion is forgotten at once on the node that made it and within {@link #REMEMBER} on the others; usage
 * sent for a deleted organization in that moment is accepted and stays with the deleted organization.
 */
@Component
class KnownOrgs {

    static final Duration REMEMBER = Duration.ofSeconds(30);

    private final OrganizationDirectory organizations;
    private final Cache<UUID, Boolean> exists = Caffeine.newBuilder()
            .maximumSize(100_000)
            .expireAfterWrite(REMEMBER)
            .build();

    KnownOrgs(OrganizationDirectory organizations) {
        this.organizations = organizations;
    }

    boolean exists(UUID orgId) {
        return exists.get(orgId, organizations::exists);
    }

    @EventListener
    void on(OrganizationDeleted deleted) {
        exists.invalidate(deleted.orgId());
    }
}
