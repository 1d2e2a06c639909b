package dev.gatehouse.catalog;

/**
 * What other modules read about plans: the catalog this node serves now. The answer is an immutable snapshot;
 * a reload (on any node) swaps it for a new one within about a second on every node, so read it again for each
 * decision rather than keeping it.
 */
public interface Catalog {

    /** The active catalog version. */
    CatalogVersion current();
}
