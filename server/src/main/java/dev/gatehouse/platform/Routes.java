package dev.gatehouse.platform;

import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.http.server.PathContainer;
import org.springframework.http.server.RequestPath;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.stereotype.Component;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import org.springframework.web.util.ServletRequestPathUtils;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * Which handler a request will reach, for the servlet filters that run before Spring MVC (the security
 * chain, the idempotency filter) and must act on what a route's own module declared on its handler
 * ({@link RequiresPermission}, {@link IgnoresIdempotencyKey}). This is how the platform avoids listing
 * other modules' paths: it reads the handler mappings once, after every controller is registered and
 * before the server accepts requests, and matches a request against their path patterns the way MVC
 * chooses among them: the most specific pattern that takes the request's method, or, when none takes it
 * (MVC will answer 405), the most specific pattern at all.
 */
@Component
class Routes implements SmartInitializingSingleton {

    private static final Comparator<Route> MOST_SPECIFIC_FIRST =
            Comparator.comparing(Route::pattern, PathPattern.SPECIFICITY_COMPARATOR);

    private final ListableBeanFactory beans;
    private volatile @Nullable List<Route> all;

    Routes(ListableBeanFactory beans) {
        this.beans = beans;
    }

    record Route(PathPattern pattern, Set<String> methods, HandlerMethod handler) {

        /** An empty method set takes every method; HEAD is served by GET routes, as MVC does. */
        boolean takes(String method) {
            return methods.isEmpty() || methods.contains(method) || ("HEAD".equals(method) && methods.contains("GET"));
        }
    }

    @Override
    public void afterSingletonsInstantiated() {
        List<Route> routes = new ArrayList<>();
        beans.getBean("requestMappingHandlerMapping", RequestMappingHandlerMapping.class)
                .getHandlerMethods()
                .forEach((info, handler) -> {
                    Set<String> methods = info.getMethodsCondition().getMethods().stream()
                            .map(Enum::name)
                            .collect(Collectors.toUnmodifiableSet());
                    for (PathPattern pattern : patterns(info)) routes.add(new Route(pattern, methods, handler));
                });
        all = List.copyOf(routes);
    }

    private static Set<PathPattern> patterns(RequestMappingInfo info) {
        if (info.getPathPatternsCondition() != null) {
            return info.getPathPatternsCondition().getPatterns();
        }
        return info.getPatternValues().stream()
                .map(PathPatternParser.defaultInstance::parse)
                .collect(Collectors.toUnmodifiableSet());
    }

    private List<Route> all() {
        List<Route> routes = all;
        if (routes == null) throw new IllegalStateException("Routes are read once every controller is registered");
        return routes;
    }

    /** Matches the requests whose route (as MVC will choose it) has a handler that {@code selected} accepts. */
    RequestMatcher matching(Predicate<HandlerMethod> selected) {
        return new Selection(selected);
    }

    private static @Nullable Route best(
            List<Route> routes, PathContainer path, String method, Predicate<Route> winsTies) {
        Route best = null;
        boolean bestTakesMethod = false;
        for (Route route : routes) {
            if (!route.pattern().matches(path)) continue;
            boolean takes = route.takes(method);
            if (best == null || (takes && !bestTakesMethod)) {
                best = route;
                bestTakesMethod = takes;
            } else if (takes == bestTakesMethod) {
                int order = MOST_SPECIFIC_FIRST.compare(route, best);
                if (order < 0 || (order == 0 && winsTies.test(route))) best = route;
            }
        }
        return best;
    }

    private static @Nullable PathContainer path(HttpServletRequest request) {
        try {
            RequestPath path = ServletRequestPathUtils.hasParsedRequestPath(request)
                    ? ServletRequestPathUtils.getParsedRequestPath(request)
                    : RequestPath.parse(request.getRequestURI(), request.getContextPath());
            return path.pathWithinApplication();
        } catch (IllegalArgumentException e) {
            return null; // not a path any route could match (the container refuses most of these earlier)
        }
    }

    private final class Selection implements RequestMatcher {

        private final Predicate<HandlerMethod> selected;
        private volatile @Nullable List<Route> candidates;

        Selection(Predicate<HandlerMethod> selected) {
            this.selected = selected;
        }

        @Override
        public boolean matches(HttpServletRequest request) {
            PathContainer path = path(request);
            if (path == null) return false;
            List<Route> mine = candidates;
            if (mine == null) {
                mine = all().stream().filter(r -> selected.test(r.handler())).toList();
                candidates = mine;
            }
            // Most requests match none of the selected routes; only those that do pay for the full choice.
            if (mine.stream().noneMatch(r -> r.pattern().matches(path))) return false;
            // Equally specific routes that differ only in what MVC checks later (consumes, params) are
            // resolved in favour of the selection: for the idempotency filter that means storing nothing,
            // and a request let through the security chain still meets the handler's own permission.
            Route best = best(all(), path, request.getMethod(), r -> selected.test(r.handler()));
            return best != null && selected.test(best.handler());
        }
    }
}
