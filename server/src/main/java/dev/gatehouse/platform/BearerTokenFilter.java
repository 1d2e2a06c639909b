package dev.gatehouse.platform;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.web.filter.OncePerRequestFilter;

/** Reads {@code Authorization: Bearer ...} and asks each credential-issuing module who it is. */
class BearerTokenFilter extends OncePerRequestFilter {

    private final List<BearerTokenAuthenticator> authenticators;
    private final ProblemWriter problems;
    private final SecurityContextRepository contexts;

    BearerTokenFilter(
            List<BearerTokenAuthenticator> authenticators, ProblemWriter problems, SecurityContextRepository contexts) {
        this.authenticators = authenticators;
        this.problems = problems;
        this.contexts = contexts;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getHeader("Authorization");
        if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            String token = header.substring(7).trim();
            try {
                Optional<Caller> caller = Optional.empty();
                for (BearerTokenAuthenticator authenticator : authenticators) {
                    caller = authenticator.authenticate(token);
                    if (caller.isPresent()) break;
                }
                if (caller.isEmpty()) {
                    throw Problems.unauthorized("invalid_token", "The bearer token is not valid.");
                }
                var context = SecurityContextHolder.createEmptyContext();
                context.setAuthentication(new CallerAuthentication(caller.get()));
                SecurityContextHolder.setContext(context);
                contexts.saveContext(context, request, response);
            } catch (ApiException e) {
                response.setHeader("WWW-Authenticate", "Bearer error=\"invalid_token\"");
                problems.write(response, e);
                return;
            }
        }
        // No clearing in a finally block here: SecurityContextHolderFilter clears the context when the
        // request ends, and clearing it on the way out of an AccessDeniedException would leave
        // ExceptionTranslationFilter with no authentication at all, turning an anonymous 401 into a 403.
        chain.doFilter(request, response);
    }
}
