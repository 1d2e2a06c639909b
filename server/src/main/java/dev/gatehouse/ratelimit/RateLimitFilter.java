package dev.gatehouse.ratelimit;

import dev.gatehouse.platform.CachedBodyRequest;
import dev.gatehouse.platform.Caller;
import dev.gatehouse.platform.CallerAuthentication;
import dev.gatehouse.platform.PlatformRole;
import dev.gatehouse.platform.ProblemWriter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterProperties;
import org.springframework.core.annotation.Order;
import org.springframework.http.server.PathContainer;
import org.springframework.http.server.RequestPath;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.util.matcher.IpAddressMatcher;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The limit in front of every {@code /api} request. The caller's own limit first: a user by their plan's policy,
 * a service key by the service policy, anyone else by the anonymous policy per client IP (the address Tomcat
 * resolved, which honours {@code X-Forwarded-For} only from trusted proxies). Then, if the request is one of a
 * route group's, that group's limit. Admitted requests carry {@code RateLimit-Policy} and {@code RateLimit}
 * (draft-ietf-httpapi-ratelimit-headers) and {@code X-RateLimit-Limit}, {@code -Remaining}, {@code -Reset} (of the
 * most restrictive decision); a refused one gets 429 {@code rate_limited} with {@code Retry-After}, or 503
 * {@code rate_limiter_unavailable} when Redis is unreachable and the policy fails closed.
 *
 * <p>Ordered right after Spring Security's chain, so the caller is known, and before the idempotency filter, so
 * a refused request never claims an {@code Idempotency-Key}. Requests the security chain refuses (no or a bad
 * token on a protected route) never get here: they cost a signature check and are not counted. Cheap on
 * purpose, as it runs on every request: a few string comparisons and one decision per limit (in memory a map
 * lookup and a compare-and-set); only route groups by account read the body, and only on their own route.
 */
@Component
@Order(RateLimitFilter.ORDER)
class RateLimitFilter extends OncePerRequestFilter {

    static final int ORDER = SecurityFilterProperties.DEFAULT_FILTER_ORDER + 5;

    private final RateLimiter limiter;
    private final Policies policies;
    private final ProblemWriter problems;
    private final JsonMapper json;
    private final boolean enabled;
    private final Set<String> exemptAddresses = new HashSet<>();
    private final List<IpAddressMatcher> exemptRanges = new ArrayList<>();
    private final List<Group> groups = new ArrayList<>();

    RateLimitFilter(
            RateLimiter limiter,
            Policies policies,
            ProblemWriter problems,
            JsonMapper json,
            RateLimitSettings settings) {
        this.limiter = limiter;
        this.policies = policies;
        this.problems = problems;
        this.json = json;
        this.enabled = settings.enabled();
        for (String ip : settings.exemptIps()) {
            if (ip.contains("/")) exemptRanges.add(new IpAddressMatcher(ip.strip()));
            else exemptAddresses.add(ip.strip());
        }
        settings.routeGroups()
                .forEach((name, g) -> groups.add(new Group(
                        name,
                        g.method().toUpperCase(Locale.ROOT),
                        PathPatternParser.defaultInstance.parse(g.path()),
                        g.by(),
                        "plan".equals(g.policy()) ? null : g.policy())));
    }

    /** A route group; {@code policy} null means the plan's policy of whoever is counted. */
    private record Group(
            String name,
            String method,
            PathPattern pattern,
            RouteGroupSubject by,
            @Nullable String policy) {}

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !enabled || !request.getRequestURI().startsWith("/api/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String ip = request.getRemoteAddr();
        if (exempt(ip)) {
            chain.doFilter(request, response);
            return;
        }
        Caller caller = caller();
        RateLimitDecision own = null;
        Policy ownPolicy;
        String ownSubject;
        if (caller == null) {
            ownPolicy = policies.anonymous();
            ownSubject = Subjects.ip(ip);
        } else if (caller.hasRole(PlatformRole.SERVICE)) {
            ownPolicy = policies.service();
            ownSubject = Subjects.service(caller.userId());
        } else {
            ownPolicy = policies.forUser(caller.userId());
            ownSubject = Subjects.user(caller.userId());
        }
        if (ownPolicy != null) own = limiter.decide(ownSubject, ownPolicy, 1);

        RateLimitDecision group = null;
        HttpServletRequest forward = request;
        if ((own == null || own.allowed()) && !groups.isEmpty()) {
            for (Group g : groups) {
                if (!g.method().equals(request.getMethod())) continue;
                PathPattern.PathMatchInfo match = g.pattern().matchAndExtract(path(request));
                if (match == null) continue;
                if (g.by() == RouteGroupSubject.ACCOUNT) {
                    byte[] body = request.getInputStream().readAllBytes();
                    forward = new CachedBodyRequest(request, body);
                    group = decideGroup(g, match, caller, ip, body);
                } else {
                    group = decideGroup(g, match, caller, ip, null);
                }
                break;
            }
        }

        writeHeaders(response, own, group);
        RateLimitDecision refused =
                own != null && !own.allowed() ? own : group != null && !group.allowed() ? group : null;
        if (refused != null) {
            problems.write(response, RateLimitFailures.refusal(refused));
            return;
        }
        chain.doFilter(forward, response);
    }

    private @Nullable RateLimitDecision decideGroup(
            Group g, PathPattern.PathMatchInfo match, @Nullable Caller caller, String ip, byte @Nullable [] body) {
        String subject;
        Policy plan;
        switch (g.by()) {
            case IP -> {
                subject = Subjects.ip(ip);
                plan = policies.anonymous();
            }
            case CALLER -> {
                if (caller == null) {
                    subject = Subjects.ip(ip);
                    plan = policies.anonymous();
                } else if (caller.hasRole(PlatformRole.SERVICE)) {
                    subject = Subjects.service(caller.userId());
                    plan = policies.service();
                } else {
                    subject = Subjects.user(caller.userId());
                    plan = policies.forUser(caller.userId());
                }
            }
            case ACCOUNT -> {
                String email = email(body);
                if (email == null) return null; // no account named: the route refuses the body itself
                subject = Subjects.account(email);
                plan = policies.anonymous();
            }
            case ORG -> {
                UUID org = uuid(match.getUriVariables().get("org"));
                if (org == null) return null; // not an organization id: the route answers 400 or 404
                subject = Subjects.org(org);
                plan = policies.forOrg(org);
            }
            default -> throw new IllegalStateException("Unknown route group subject " + g.by());
        }
        // A policy the catalog no longer has (after a reload) limits nothing rather than failing requests.
        Policy policy = g.policy() == null ? plan : policies.named(g.policy());
        return policy == null ? null : limiter.decide(subject, policy, 1);
    }

    private @Nullable String email(byte @Nullable [] body) {
        if (body == null) return null;
        try {
            JsonNode node = json.readTree(body).get("email");
            return node != null
                            && node.isString()
                            && !node.asString().isBlank()
                            && node.asString().length() <= 254
                    ? node.asString()
                    : null;
        } catch (JacksonException e) {
            return null;
        }
    }

    private static @Nullable UUID uuid(@Nullable String s) {
        try {
            return s != null && s.length() == 36 ? UUID.fromString(s) : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static PathContainer path(HttpServletRequest request) {
        return RequestPath.parse(request.getRequestURI(), request.getContextPath())
                .pathWithinApplication();
    }

    private boolean exempt(String ip) {
        if (exemptAddresses.contains(ip)) return true;
        for (IpAddressMatcher range : exemptRanges) if (range.matches(ip)) return true;
        return false;
    }

    private static @Nullable Caller caller() {
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        return auth instanceof CallerAuthentication c ? c.getPrincipal() : null;
    }

    /**
     * The fields for every decision the backend made (none for a policy answered by its failure mode: there is
     * nothing true to say); the {@code X-} fields for the most restrictive one.
     */
    void writeHeaders(
            HttpServletResponse response, @Nullable RateLimitDecision own, @Nullable RateLimitDecision group) {
        RateLimitDecision a = own == null || own.degraded() ? null : own;
        RateLimitDecision b = group == null || group.degraded() ? null : group;
        if (a == null && b == null) return;
        RateLimitDecision strictest = a == null ? b : b == null ? a : stricter(a, b);
        if (a != null && b != null) {
            response.setHeader("RateLimit-Policy", headerPolicy(a) + ", " + headerPolicy(b));
            response.setHeader("RateLimit", item(a) + ", " + item(b));
        } else {
            response.setHeader("RateLimit-Policy", headerPolicy(strictest));
            response.setHeader("RateLimit", item(strictest));
        }
        response.setHeader("X-RateLimit-Limit", Long.toString(strictest.limit()));
        response.setHeader("X-RateLimit-Remaining", Long.toString(strictest.remaining()));
        response.setHeader("X-RateLimit-Reset", Long.toString(strictest.resetAfterSeconds()));
    }

    private String headerPolicy(RateLimitDecision d) {
        Policy p = policies.named(d.policy());
        return p == null ? "\"" + d.policy() + "\";q=" + d.limit() : p.headerPolicy();
    }

    private static RateLimitDecision stricter(RateLimitDecision a, RateLimitDecision b) {
        if (!a.allowed()) return a;
        if (!b.allowed()) return b;
        return b.remaining() < a.remaining() ? b : a;
    }

    /** A {@code RateLimit} item: the policy, what remains ({@code r}) and when it is full again ({@code t}). */
    private static String item(RateLimitDecision d) {
        return "\"" + d.policy() + "\";r=" + d.remaining() + ";t=" + d.resetAfterSeconds();
    }
}
