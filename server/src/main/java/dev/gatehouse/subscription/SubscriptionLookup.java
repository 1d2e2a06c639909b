package dev.gatehouse.subscription;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.gatehouse.catalog.Catalog;
import dev.gatehouse.catalog.CatalogVersion;
import dev.gatehouse.catalog.Plan;
import dev.gatehouse.platform.ChangeFeed;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * {@link SubscriptionDirectory} from this node's memory: one entry per organization asked about, read from
 * PostgreSQL once and then kept until a change to that subscription is published on the change feed (topic
 * {@value #TOPIC}, subject the organization id) by any node. The node that makes a change also forgets it at
 * once and again after its commit.
 *
 * <p>As in the API key cache, a generation counter bumped before every eviction stops a read that raced a
 * change from putting back what it read before the change committed; and while the feed is not fresh (this
 * node cannot read it), every question goes to PostgreSQL. Plans are looked up in the current catalog on every
 * call, so a catalog reload needs no eviction here.
 */
@Component
class SubscriptionLookup implements SubscriptionDirectory {

    static final String TOPIC = "subscription";

    private final Subscriptions subscriptions;
    private final Catalog catalog;
    private final ChangeFeed changeFeed;
    private final Cache<UUID, Optional<CurrentPlan>> cache;
    private final AtomicLong generation = new AtomicLong();

    SubscriptionLookup(
            Subscriptions subscriptions, Catalog catalog, ChangeFeed changeFeed, SubscriptionSettings settings) {
        this.subscriptions = subscriptions;
        this.catalog = catalog;
        this.changeFeed = changeFeed;
        this.cache = Caffeine.newBuilder()
                .maximumSize(settings.cacheSize())
                .expireAfterWrite(settings.cacheTtl())
                .build();
        changeFeed.subscribe(TOPIC, subject -> evict(UUID.fromString(subject)));
    }

    @Override
    public Optional<CurrentPlan> currentPlan(UUID orgId) {
        if (!changeFeed.fresh()) return load(orgId);
        Optional<CurrentPlan> hit = cache.getIfPresent(orgId);
        if (hit != null) return hit;
        long before = generation.get();
        Optional<CurrentPlan> loaded = load(orgId);
        cache.put(orgId, loaded);
        if (generation.get() != before) cache.asMap().remove(orgId, loaded);
        return loaded;
    }

    @Override
    public List<PlanStateCount> counts() {
        return subscriptions.counts();
    }

    @Override
    public Plan planOf(UUID orgId) {
        return entitled(catalog.current(), currentPlan(orgId).orElse(null));
    }

    @Override
    public Optional<Plan> entitledPlan(UUID orgId) {
        CatalogVersion c = catalog.current();
        return currentPlan(orgId).map(current -> entitled(c, current));
    }

    /** The plan that applies: the subscribed one while it entitles, else the default (also for a plan gone). */
    static Plan entitled(CatalogVersion c, @org.jspecify.annotations.Nullable CurrentPlan current) {
        if (current == null || !current.entitled()) return c.defaultPlan();
        return c.plan(current.plan()).orElseGet(c::defaultPlan);
    }

    private Optional<CurrentPlan> load(UUID orgId) {
        return subscriptions.find(orgId).map(CurrentPlan::of);
    }

    void evict(UUID orgId) {
        generation.incrementAndGet();
        cache.invalidate(orgId);
    }

    /** Forgets the organization now and again after the current transaction commits. */
    void evictNowAndAfterCommit(UUID orgId) {
        evict(orgId);
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    evict(orgId);
                }
            });
        }
    }
}
