package dev.gatehouse.apikey;

import dev.gatehouse.platform.BearerTokenAuthenticator;
import dev.gatehouse.platform.Caller;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Service keys ({@code Authorization: Bearer gh_sk_...}) as callers with the single role {@code service}. Which
 * routes such a caller may use is decided in one place, platform's security configuration: the service routes
 * and nothing else. A hit costs one SHA-256 and a cache lookup, like an org key's verification.
 */
@Component
class ServiceKeyAuthenticator implements BearerTokenAuthenticator {

    private final KeyVerifier verifier;

    ServiceKeyAuthenticator(KeyVerifier verifier) {
        this.verifier = verifier;
    }

    @Override
    public Optional<Caller> authenticate(String token) {
        if (!token.startsWith(KeySecrets.SERVICE.prefix())) return Optional.empty();
        Optional<Caller> caller = verifier.serviceCaller(token);
        if (caller.isEmpty()) throw KeyFailures.invalidServiceKey();
        return caller;
    }
}
