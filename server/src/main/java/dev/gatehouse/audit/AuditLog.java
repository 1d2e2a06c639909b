package dev.gatehouse.audit;

/** Records audit events; the public entry point of the audit module. */
public interface AuditLog {

    /**
     * Appends one event to the audit chain inside the caller's transaction, which must exist
     * ({@code Propagation.MANDATORY}): the row commits or rolls back with the change it records, so the log
     * never claims a change that did not happen nor misses one that did. Calling it without a transaction
     * is a programming error ({@code IllegalTransactionStateException}), found by the first test that runs
     * the code path, instead of an audit row silently committed on its own.
     *
     * <p>The IP address, user agent and request id are taken from the current HTTP request and log context
     * when there is one. The call takes the chain's lock, held until the caller's transaction ends: record
     * as the last write of the transaction, so that the lock is held briefly and never taken before locks
     * on other rows (which could deadlock). The caller's transaction must be READ COMMITTED (the default).
     */
    void record(AuditEntry entry);
}
