package dev.gatehouse.platform;

import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Test-only credentials: {@code platformtest_<role>_<uuid>} authenticates as that user with that role.
 * The platform tests need callers before the identity module exists and without coupling to it; this
 * plugs into the same {@link BearerTokenAuthenticator} seam the real credentials use, so requests go
 * through the production security chain unchanged (no route is opened for tests). It lives only in
 * test sources and claims only its own prefix, so other modules' tokens still reach their authenticators.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class TestCallers implements BearerTokenAuthenticator {

    private static final String PREFIX = "platformtest_";

    static String token(String role, UUID user) {
        return PREFIX + role + "_" + user;
    }

    static String user() {
        return token("user", UUID.randomUUID());
    }

    @Override
    public Optional<Caller> authenticate(String token) {
        if (!token.startsWith(PREFIX)) return Optional.empty();
        String[] parts = token.substring(PREFIX.length()).split("_", 2);
        if (parts.length != 2) return Optional.empty();
        try {
            return Optional.of(new Caller(UUID.fromString(parts[1]), null, Set.of(PlatformRole.of(parts[0])), null));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
