package dev.gatehouse.platform;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/** Reads {@code Authorization: Bearer ...} and asks each credential-issuing module who it is. */
class BearerTokenFilter extends OncePerRequestFilter {

    private final List<BearerTokenAuthenticator> authenticators;
    private final ProblemWriter problems;

    BearerTokenFilter(List<BearerTokenAuthenticator> authenticators, ProblemWriter problems) {
        this.authenticators = authenticators;
        this.problems = problems;
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
            } catch (ApiException e) {
                response.setHeader("WWW-Authenticate", "Bearer error=\"invalid_token\"");
                problems.write(response, e);
                return;
            }
        }
        try {
            chain.doFilter(request, response);
        } finally {
            SecurityContextHolder.clearContext();
        }
    }
}
