package dev.gatehouse.ratelimit;

import dev.gatehouse.audit.AuditEntry;
import dev.gatehouse.audit.AuditLog;
import dev.gatehouse.platform.CallerAuthentication;
import dev.gatehouse.platform.Permission;
import dev.gatehouse.platform.RequiresPermission;
import io.swagger.v3.oas.annotations.Operation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * Support clears a subject's limits: its state under every policy is forgotten, so its next request starts with
 * a full allowance. The brute-force lockouts of sign-in are identity's and are cleared on identity's routes.
 */
@RequiresPermission(Permission.RATELIMITS_CLEAR)
@RestController
class RateLimitAdminController {

    private final RateLimiter limiter;
    private final AuditLog audit;

    RateLimitAdminController(RateLimiter limiter, AuditLog audit) {
        this.limiter = limiter;
        this.audit = audit;
    }

    /**
     * @param subject the subject as stored ({@code ip:203.0.113.7}, an IPv6 client by its /64)
     * @param cleared how many policies had state for it
     */
    record RateLimitsCleared(String subject, long cleared) {}

    @Operation(
            operationId = "clearRateLimits",
            summary = "Clear a subject's rate limits under every policy",
            description = "The subject is <scope>:<id>: ip:<address>, user:<id>, org:<id>, key:<api key id>,"
                    + " service:<service key id>, account:<email> (sign-in) or check:<key> (the check API)."
                    + " 400 invalid_subject otherwise. Audited as ratelimit.cleared.")
    @DeleteMapping(path = "/api/v1/admin/ratelimits/{subject}", produces = "application/json")
    @Transactional
    RateLimitsCleared clear(@PathVariable String subject) {
        String parsed = Subjects.parse(subject);
        if (parsed == null) throw RateLimitFailures.invalidSubject();
        long cleared = limiter.clear(parsed);
        audit.record(AuditEntry.by(CallerAuthentication.current(), "ratelimit.cleared")
                .target("ratelimit_subject", parsed)
                .detail("cleared", cleared));
        return new RateLimitsCleared(parsed, cleared);
    }
}
