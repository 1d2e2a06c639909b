package dev.gatehouse.catalog;

import dev.gatehouse.platform.Caller;
import dev.gatehouse.platform.ChangeFeed;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The catalog this node serves: loaded when the node starts, replaced when any node stores a new version.
 *
 * <p>At start the configured file wins when it is valid (an operator edits plans.yml and restarts); when it
 * is not, the node logs every error and serves the latest stored version instead, so a bad file never takes
 * a plan catalog away. Only a first start with a bad file and nothing stored refuses to start. Afterwards
 * every node follows the database: a reload on one node stores a version, and each node's change-feed
 * subscriber reads it back within about one poll interval (the reloading node swaps at once).
 */
@Component
class CatalogHolder implements Catalog {

    private static final Logger log = LoggerFactory.getLogger(CatalogHolder.class);

    private final CatalogLoads loads;
    private volatile CatalogVersion current;

    CatalogHolder(CatalogLoads loads, ChangeFeed changeFeed) {
        this.loads = loads;
        this.current = startWith(loads);
        changeFeed.subscribe(CatalogLoads.TOPIC, this::changed);
    }

    private static CatalogVersion startWith(CatalogLoads loads) {
        try {
            CatalogLoads.Loaded loaded = loads.load(null);
            log.info(
                    "catalog_loaded version={} changed={} plans={} file={}",
                    loaded.version().version(),
                    loaded.changed(),
                    loaded.version().plans().keySet(),
                    loads.file());
            return loaded.version();
        } catch (CatalogLoads.Refused refused) {
            Optional<CatalogVersion> stored = loads.latest();
            refused.errors().forEach(e -> log.error("catalog_invalid {}", e));
            if (stored.isEmpty()) {
                throw new IllegalStateException("The plan catalog " + loads.file() + " is invalid and no earlier"
                        + " version is stored: " + refused.errors());
            }
            log.error(
                    "catalog_file_refused errors={} serving_version={}",
                    refused.errors().size(),
                    stored.get().version());
            return stored.get();
        }
    }

    /** The file this node reads, as configured. */
    String file() {
        return loads.file();
    }

    @Override
    public CatalogVersion current() {
        return current;
    }

    /**
     * Reads the configured file again (an admin's reload) and serves it at once on this node.
     *
     * @throws CatalogLoads.Refused with every error; the catalog in use stays
     */
    CatalogLoads.Loaded reload(Caller admin) {
        CatalogLoads.Loaded loaded;
        try {
            loaded = loads.load(admin);
        } catch (CatalogLoads.Refused refused) {
            loads.recordRefusal(admin, refused.errors());
            throw refused;
        }
        adopt(loaded.version());
        return loaded;
    }

    /** A version was stored on some node: serve it if it is newer than ours. */
    private void changed(String subject) {
        if (Integer.parseInt(subject) <= current.version()) return;
        loads.latest().ifPresent(this::adopt);
    }

    private synchronized void adopt(CatalogVersion version) {
        if (version.version() <= current.version()) return;
        log.info("catalog_adopted version={} previous={}", version.version(), current.version());
        current = version;
    }
}
