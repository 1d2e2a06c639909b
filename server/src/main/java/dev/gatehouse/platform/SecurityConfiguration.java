package dev.gatehouse.platform;

import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter.ReferrerPolicy;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.CorsConfigurationSource;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;

/**
 * One stateless filter chain: bearer credentials only, problem responses for 401/403, security headers
 * on every response, CORS from an allow-list. Routes outside {@code /api/v1} that need no caller are
 * listed here once, and so are the routes for service keys.
 *
 * <p>Users and the product's backend are kept apart here, in one place, rather than by each route: a
 * service-key caller (role {@code service}) gets 403 on every route except {@link #SERVICE}, and those
 * routes answer 403 to everyone else. A new user route is therefore closed to service keys without
 * anyone having to remember it.
 */
@Configuration(proxyBeanMethods = false)
@EnableMethodSecurity
class SecurityConfiguration {

    /** Routes anyone may call. Everything else under /api/v1 needs a caller. */
    static final String[] PUBLIC = {
        "/health/**",
        "/metrics",
        "/status",
        "/.well-known/**",
        "/api/v1/auth/**",
        "/api/v1/openapi.json",
        "/api/v1/openapi.json/**",
        "/docs",
        "/docs/**",
        "/swagger-ui/**",
        "/error"
    };

    /** Routes for the product's backend: only a service-key caller may use them, and it may use nothing else. */
    static final String[] SERVICE = {"/api/v1/keys/verify"};

    private static final String API_CSP = "default-src 'none'; frame-ancestors 'none'";

    /**
     * The API reference (Swagger UI) loads only its own files: its index page has no inline script, so
     * scripts stay {@code 'self'}; React sets inline styles and the theme embeds SVG as data: URIs.
     */
    private static final String DOCS_CSP = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline';"
            + " script-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    @Bean
    SecurityFilterChain api(
            HttpSecurity http,
            List<BearerTokenAuthenticator> authenticators,
            ProblemWriter problems,
            HttpSettings settings)
            throws Exception {
        // The caller is kept as a request attribute, so the async dispatch of a streamed or deferred
        // response (which BearerTokenFilter, a once-per-request filter, does not see) still has it.
        var contexts = new RequestAttributeSecurityContextRepository();
        http.csrf(csrf -> csrf.disable())
                .httpBasic(b -> b.disable())
                .formLogin(f -> f.disable())
                .logout(l -> l.disable())
                .requestCache(c -> c.disable())
                .anonymous(a -> {})
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .securityContext(c -> c.securityContextRepository(contexts))
                .cors(c -> c.configurationSource(cors(settings)))
                .headers(h -> h.referrerPolicy(r -> r.policy(ReferrerPolicy.NO_REFERRER))
                        .addHeaderWriter((request, response) -> {
                            String path = request.getRequestURI();
                            boolean docs = path.startsWith("/docs") || path.startsWith("/swagger-ui");
                            response.setHeader("Content-Security-Policy", docs ? DOCS_CSP : API_CSP);
                        }))
                .authorizeHttpRequests(a -> a.requestMatchers(SERVICE)
                        .hasRole(Caller.SERVICE.toUpperCase(Locale.ROOT))
                        .requestMatchers(PUBLIC)
                        .permitAll()
                        .requestMatchers("/api/**")
                        .access(SecurityConfiguration::userCaller)
                        .anyRequest()
                        .permitAll())
                .exceptionHandling(e -> e.authenticationEntryPoint((request, response, ex) -> {
                            response.setHeader("WWW-Authenticate", "Bearer");
                            problems.write(
                                    response,
                                    ProblemWriter.problem(
                                            HttpStatus.UNAUTHORIZED,
                                            "unauthenticated",
                                            "Unauthorized",
                                            "This request needs a valid bearer token."));
                        })
                        .accessDeniedHandler((request, response, ex) -> problems.write(
                                response,
                                ProblemWriter.problem(
                                        HttpStatus.FORBIDDEN,
                                        "forbidden",
                                        "Forbidden",
                                        "You do not have permission for this action."))))
                // Authentication happens before the anonymous filter and outside ExceptionTranslationFilter,
                // so a request without a token is anonymous there and gets the entry point's 401.
                .addFilterBefore(
                        new BearerTokenFilter(authenticators, problems, contexts), AnonymousAuthenticationFilter.class);
        return http.build();
    }

    /** Any signed-in caller that is not a service key; anonymous callers get 401, service keys 403. */
    private static AuthorizationResult userCaller(
            Supplier<? extends @Nullable Authentication> authentication, RequestAuthorizationContext context) {
        Authentication a = authentication.get();
        boolean user = a instanceof CallerAuthentication c && !c.getPrincipal().hasRole(Caller.SERVICE);
        return new AuthorizationDecision(user);
    }

    private static CorsConfigurationSource cors(HttpSettings settings) {
        CorsConfiguration config = new CorsConfiguration();
        config.setAllowedOrigins(settings.corsAllowedOrigins());
        config.setAllowedMethods(List.of("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"));
        config.setAllowedHeaders(List.of("Authorization", "Content-Type", "Idempotency-Key", RequestIds.HEADER));
        config.setExposedHeaders(
                List.of(RequestIds.HEADER, "Idempotent-Replayed", "Deprecation", "Sunset", "Link", "Retry-After"));
        config.setMaxAge(600L);
        UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
        source.registerCorsConfiguration("/**", config);
        return source;
    }
}
