package dev.gatehouse.platform;

import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.security.web.firewall.StrictHttpFirewall;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter.ReferrerPolicy;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.CorsConfigurationSource;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;

/**
 * One stateless filter chain: bearer credentials only, problem responses for 401/403, security headers
 * on every response, CORS from an allow-list. Under {@code /api} a request needs a caller unless its route
 * is public, which the route's module declares on the handler ({@link Permission#PUBLIC}); this class
 * names no module's paths. Outside {@code /api} (pages, discovery, health, metrics, docs, the error page)
 * nothing is required here, and {@link PermissionInterceptor} still enforces every handler's permission.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    private static final String API_CSP = "default-src 'none'; frame-ancestors 'none'";

    /**
     * The API reference (Swagger UI) loads only its own files: its index page has no inline script, so
     * scripts stay {@code 'self'}; React sets inline styles and the theme embeds SVG as data: URIs.
     */
    private static final String DOCS_CSP = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline';"
            + " script-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    /**
     * Spring Security's firewall with the same header rules, checked by a loop instead of its default
     * regular expression ({@code [\p{IsAssigned}&&[^\p{IsControl}]]*}): that expression recurses per
     * character, and every read of a header runs it, so a bearer token of 600 characters cost more than
     * the rest of a cached {@code GET /api/v1/me} (JFR).
     */
    @Bean
    StrictHttpFirewall httpFirewall() {
        StrictHttpFirewall firewall = new StrictHttpFirewall();
        firewall.setAllowedHeaderNames(SecurityConfiguration::assignedAndNotControl);
        firewall.setAllowedHeaderValues(SecurityConfiguration::assignedAndNotControl);
        return firewall;
    }

    static boolean assignedAndNotControl(String s) {
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            int type = Character.getType(cp);
            if (type == Character.UNASSIGNED || type == Character.CONTROL) return false;
            i += Character.charCount(cp);
        }
        return true;
    }

    @Bean
    SecurityFilterChain api(
            HttpSecurity http,
            List<BearerTokenAuthenticator> authenticators,
            ProblemWriter problems,
            HttpSettings settings,
            Routes routes)
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
                .authorizeHttpRequests(a -> a.requestMatchers(routes.matching(PermissionInterceptor::isPublic))
                        .permitAll()
                        .requestMatchers("/api/**")
                        .authenticated()
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

    private static CorsConfigurationSource cors(HttpSettings settings) {
        CorsConfiguration config = new CorsConfiguration();
        config.setAllowedOrigins(settings.corsAllowedOrigins());
        config.setAllowedMethods(List.of("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"));
        config.setAllowedHeaders(List.of("Authorization", "Content-Type", "Idempotency-Key", RequestIds.HEADER));
        config.setExposedHeaders(List.of(
                RequestIds.HEADER,
                "Idempotent-Replayed",
                "Deprecation",
                "Sunset",
                "Link",
                "Retry-After",
                "RateLimit",
                "RateLimit-Policy",
                "X-RateLimit-Limit",
                "X-RateLimit-Remaining",
                "X-RateLimit-Reset"));
        config.setMaxAge(600L);
        UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
        source.registerCorsConfiguration("/**", config);
        return source;
    }
}
