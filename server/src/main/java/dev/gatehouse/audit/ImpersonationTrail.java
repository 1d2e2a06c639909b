package dev.gatehouse.audit;

import dev.gatehouse.platform.Caller;
import dev.gatehouse.platform.CallerAuthentication;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Every request made with an impersonation token lands in the audit log with both ids (the user acted
 * as, and the admin behind it), the route and the outcome, whatever the route records on its own.
 */
@Configuration(proxyBeanMethods = false)
class ImpersonationTrail implements WebMvcConfigurer, HandlerInterceptor {

    private final AuditLog audit;
    private final TransactionTemplate tx;

    ImpersonationTrail(AuditLog audit, TransactionTemplate tx) {
        this.audit = audit;
        this.tx = tx;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        // First of all interceptors: its afterCompletion runs only if its own preHandle ran, and so it
        // also records requests that the permission check (next in line) refuses.
        registry.addInterceptor(this).addPathPatterns("/api/**").order(Integer.MIN_VALUE);
    }

    @Override
    public void afterCompletion(
            HttpServletRequest request, HttpServletResponse response, Object handler, @Nullable Exception ex) {
        if (!(SecurityContextHolder.getContext().getAuthentication() instanceof CallerAuthentication auth)) return;
        Caller caller = auth.getPrincipal();
        if (caller.actorId() == null) return;
        tx.executeWithoutResult(status -> audit.record(AuditEntry.by(caller, "impersonation.request")
                .target("user", caller.userId())
                .detail("method", request.getMethod())
                .detail("path", request.getRequestURI())
                .detail("status", response.getStatus())));
    }
}
