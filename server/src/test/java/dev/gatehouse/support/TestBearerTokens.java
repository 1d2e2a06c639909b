package dev.gatehouse.support;

import dev.gatehouse.platform.BearerTokenAuthenticator;
import dev.gatehouse.platform.Caller;
import dev.gatehouse.platform.PlatformRole;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Test-only bearer tokens, so route tests need no sign-in flow: {@code test-admin}, {@code test-superadmin}
 * and {@code test-user-<uuid>}. It lives in test sources only, is asked first, and answers empty for every
 * other token, which then goes to the real authenticators unchanged.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
public class TestBearerTokens implements BearerTokenAuthenticator {

    public static final UUID ADMIN_ID = UUID.fromString("00000000-0000-4000-8000-00000000a0a0");
    public static final String ADMIN = "test-admin";
    public static final String SUPERADMIN = "test-superadmin";

    public static String user(UUID id) {
        return "test-user-" + id;
    }

    @Override
    public Optional<Caller> authenticate(String token) {
        if (token.equals(ADMIN))
            return Optional.of(new Caller(ADMIN_ID, null, Set.of(PlatformRole.USER, PlatformRole.ADMIN), null));
        if (token.equals(SUPERADMIN)) {
            return Optional.of(new Caller(ADMIN_ID, null, Set.of(PlatformRole.USER, PlatformRole.SUPERADMIN), null));
        }
        if (token.startsWith("test-user-")) {
            try {
                UUID id = UUID.fromString(token.substring("test-user-".length()));
                return Optional.of(new Caller(id, null, Set.of(PlatformRole.USER), null));
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }
}
