package dev.gatehouse.platform;

import java.util.Optional;

/**
 * Turns a bearer credential into a {@link Caller}; modules that issue credentials (access JWTs, service
 * keys) provide one. Returns empty when the credential is not of its kind; throws {@link ApiException}
 * when it is of its kind but invalid.
 */
public interface BearerTokenAuthenticator {

    Optional<Caller> authenticate(String token);
}
