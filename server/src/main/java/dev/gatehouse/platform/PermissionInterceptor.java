package dev.gatehouse.platform;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.ContextRefreshedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Enforces {@link RequiresPermission} before any handler runs (before its body is even read): no caller
 * → 401 {@code unauthenticated}, a caller whose roles lack the permission → 403 {@code forbidden}.
 * At startup it checks that every endpoint declares a permission, so a new route cannot ship unguarded.
 */
@Configuration(proxyBeanMethods = false)
class PermissionInterceptor implements WebMvcConfigurer, HandlerInterceptor {

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        // Right after the audit's impersonation trail (MIN_VALUE), so that a refused request is recorded too.
        registry.addInterceptor(this).order(Integer.MIN_VALUE + 1);
    }

    private final Map<Method, Optional<Permission>> declared = new ConcurrentHashMap<>();

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        if (!(handler instanceof HandlerMethod method)) return true;
        // Looked up once per handler, not per request: this runs on every API call.
        Permission permission = declared.computeIfAbsent(
                        method.getMethod(),
                        m -> ours(method) ? Optional.ofNullable(permissionOf(method)) : Optional.of(Permission.PUBLIC))
                .orElseThrow(() -> Problems.forbidden("This endpoint declares no permission."));
        if (permission == Permission.PUBLIC) return true;
        if (!(SecurityContextHolder.getContext().getAuthentication() instanceof CallerAuthentication auth)) {
            throw Problems.unauthorized("unauthenticated", "This request needs a valid bearer token.");
        }
        if (!permission.grantedTo(auth.getPrincipal())) {
            throw Problems.forbidden("This needs the permission " + permission.key() + ".");
        }
        return true;
    }

    /** Gatehouse's own endpoints; library ones (the OpenAPI document and UI) are public by nature. */
    static boolean ours(HandlerMethod method) {
        return method.getBeanType().getPackageName().startsWith("dev.gatehouse");
    }

    /** Whether anyone may call it: library endpoints, and ours that declare {@link Permission#PUBLIC}. */
    static boolean isPublic(HandlerMethod method) {
        return !ours(method) || permissionOf(method) == Permission.PUBLIC;
    }

    static @Nullable Permission permissionOf(HandlerMethod method) {
        return Permission.declaredBy(method);
    }

    @EventListener
    void everyEndpointDeclaresAPermission(ContextRefreshedEvent refreshed) {
        List<String> missing = new ArrayList<>();
        refreshed
                .getApplicationContext()
                .getBean("requestMappingHandlerMapping", RequestMappingHandlerMapping.class)
                .getHandlerMethods()
                .forEach((info, method) -> {
                    if (ours(method) && permissionOf(method) == null) missing.add(info + " → " + method);
                });
        if (!missing.isEmpty()) {
            throw new IllegalStateException("Endpoints without @RequiresPermission: " + missing);
        }
    }
}
