package dev.gatehouse.platform;

import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;

/** The Spring Security view of a {@link Caller}: platform roles become {@code ROLE_*} authorities. */
public final class CallerAuthentication extends AbstractAuthenticationToken {

    private final Caller caller;

    CallerAuthentication(Caller caller) {
        super(caller.roles().stream()
                .map(r -> new SimpleGrantedAuthority("ROLE_" + r.name()))
                .toList());
        this.caller = caller;
        setAuthenticated(true);
    }

    @Override
    public Object getCredentials() {
        return "";
    }

    @Override
    public Caller getPrincipal() {
        return caller;
    }

    /** The caller of the current request; only call it on routes that require authentication. */
    public static Caller current() {
        if (SecurityContextHolder.getContext().getAuthentication() instanceof CallerAuthentication a) {
            return a.caller;
        }
        throw Problems.unauthorized("unauthenticated", "This request needs a valid bearer token.");
    }
}
