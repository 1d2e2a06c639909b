package dev.gatehouse.ratelimit;

import dev.gatehouse.audit.AuditEntry;
import dev.gatehouse.audit.AuditLog;
import dev.gatehouse.platform.CallerAuthentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Samples breaches into the audit log: the limiter calls it for the first breach of a subject under a policy in
 * each {@code breach-audit-interval} (one minute), on all nodes together, so a flood of refused requests is one
 * row a minute per subject and policy, not one per request.
 */
@Component
class BreachAudit {

    private final AuditLog audit;
    private final TransactionTemplate tx;

    BreachAudit(AuditLog audit, TransactionTemplate tx) {
        this.audit = audit;
        this.tx = tx;
    }

    void record(String subject, Policy policy, String scope) {
        AuditEntry entry = SecurityContextHolder.getContext().getAuthentication() instanceof CallerAuthentication caller
                ? AuditEntry.by(caller.getPrincipal(), "ratelimit.breached")
                : AuditEntry.system("ratelimit.breached");
        AuditEntry sampled = entry.target("ratelimit_subject", subject)
                .detail("policy", policy.name())
                .detail("scope", scope)
                .detail("limit", policy.limit())
                .detail("period_seconds", policy.period().toSeconds())
                .detail("burst", policy.burst());
        tx.executeWithoutResult(status -> audit.record(sampled));
    }
}
