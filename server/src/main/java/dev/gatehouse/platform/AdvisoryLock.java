package dev.gatehouse.platform;

import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Every PostgreSQL advisory lock the application takes, one namespace each, so two features can never
 * share a key by accident: the lock space is one per database, shared by every module and node (and by
 * Flyway, which takes single-{@code bigint} keys; the two-{@code int} keys used here are a separate space).
 * Each lock is {@code pg_advisory_xact_lock(namespace, key)}, held until the transaction ends.
 *
 * <p>The namespace numbers are stored nowhere but are shared by every running node: never renumber one, and
 * give a new lock a new number.
 */
public enum AdvisoryLock {

    /** Creating the first superadmin at start-up: one node does it. */
    BOOTSTRAP_ADMIN(1),

    /** Generating a JWT signing key: one node does it per rotation. */
    SIGNING_KEY_ROTATION(2),

    /** Creating an API key in one organization (the key is the organization): the active-key cap stays exact. */
    API_KEY_CREATION(3),

    /**
     * The active onboarding version: every read or write of users' onboarding holds it shared, a version
     * migration holds it exclusively, so no one reads or writes progress halfway through a migration.
     */
    ONBOARDING_VERSION(4);

    private final int namespace;

    AdvisoryLock(int namespace) {
        this.namespace = namespace;
    }

    int namespace() {
        return namespace;
    }

    /** Waits for the namespace's single lock, held until the caller's transaction ends. */
    public void acquire(JdbcClient db) {
        acquire(db, 0);
    }

    /**
     * Waits for the namespace's single lock in shared mode, held until the caller's transaction ends: shared
     * holders run side by side, and all of them wait for (and hold off) an {@link #acquire(JdbcClient)
     * exclusive} holder. In PostgreSQL's lock manager, never written to a table row.
     */
    public void acquireShared(JdbcClient db) {
        lock(db, "pg_advisory_xact_lock_shared", 0);
    }

    /**
     * Waits for the lock on one id in the namespace, held until the caller's transaction ends. Ids are folded
     * to 32 bits: two ids may share a lock, which only makes them wait for each other, never skip it.
     */
    public void acquire(JdbcClient db, UUID id) {
        acquire(db, id.hashCode());
    }

    private void acquire(JdbcClient db, int key) {
        lock(db, "pg_advisory_xact_lock", key);
    }

    private void lock(JdbcClient db, String function, int key) {
        // Outside a transaction the lock would be released as soon as the statement ends, guarding nothing.
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalStateException("The " + this + " advisory lock needs a transaction");
        }
        db.sql("select " + function + "(:namespace, :key)")
                .param("namespace", namespace)
                .param("key", key)
                .query((rs, n) -> 1)
                .single();
    }
}
