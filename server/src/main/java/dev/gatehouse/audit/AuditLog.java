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
     * when there is one. The row itself is appended just before the transaction commits, so the chain's
     * lock is the transaction's last and is held only for the commit: callers may record at any point. The
     * caller's transaction must be READ COMMITTED (the default).
     */
    void record(AuditEntry entry);
}
