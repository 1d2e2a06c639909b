package dev.gatehouse.organization;

import dev.gatehouse.platform.Caller;
import dev.gatehouse.platform.CallerAuthentication;
import dev.gatehouse.platform.Permission;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Map;
import java.util.UUID;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Every route with an organization in its path ({@code {org}}, in any module) answers a caller who is not a
 * member of it with 404, the same problem as for an organization that does not exist, before anything else
 * about the request is looked at. It runs before argument resolution, so a non-member's request never gets
 * as far as having its body read, validated and refused with a 400: that 400 would tell them the
 * organization exists. The services still check the caller's role for the permission they need (and under
 * the organization's lock when they write); this is the door, not the rule.
 */
@Configuration(proxyBeanMethods = false)
class OrgMembershipInterceptor implements WebMvcConfigurer, HandlerInterceptor {

    /** The path variable that names the organization, on every route that has one. */
    static final String ORG = "org";

    private final Memberships memberships;

    OrgMembershipInterceptor(Memberships memberships) {
        this.memberships = memberships;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        // Right after the platform's permission check (MIN_VALUE + 1): an anonymous caller still gets its 401.
        registry.addInterceptor(this).order(Integer.MIN_VALUE + 2);
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        if (!(handler instanceof HandlerMethod)) return true;
        if (!(request.getAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE) instanceof Map<?, ?> variables)
                || !(variables.get(ORG) instanceof String raw)) {
            return true;
        }
        // A public route has no caller to check, and the permission check has refused anonymous callers already.
        if (!(SecurityContextHolder.getContext().getAuthentication() instanceof CallerAuthentication auth)) {
            return true;
        }
        Caller caller = auth.getPrincipal();
        // Only member routes (signed_in) are judged by membership. On the others an admin or the product's backend
        // acts for the platform, not as a member, and the route's own permission (already checked) decides.
        if (Permission.declaredBy((HandlerMethod) handler) != Permission.SIGNED_IN) return true;
        UUID orgId;
        try {
            orgId = UUID.fromString(raw);
        } catch (IllegalArgumentException notAnId) {
            // Not an id: the route's own binding answers 400, the same for every organization.
            return true;
        }
        if (memberships.activeRole(orgId, caller.userId()).isEmpty()) throw OrgFailures.orgNotFound();
        return true;
    }
}
