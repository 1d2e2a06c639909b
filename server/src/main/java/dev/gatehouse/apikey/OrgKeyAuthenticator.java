package dev.gatehouse.apikey;

import dev.gatehouse.platform.BearerTokenAuthenticator;
import dev.gatehouse.platform.Caller;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Organizations' API keys ({@code Authorization: Bearer gh_pk_...}) as callers with the single role
 * {@code org_key}, acting for their organization with their scopes. The permission table opens only the routes
 * meant for them (sending usage events); each such route checks the scope and the organization it needs.
 */
@Component
class OrgKeyAuthenticator implements BearerTokenAuthenticator {

    private final KeyVerifier verifier;

    OrgKeyAuthenticator(KeyVerifier verifier) {
        this.verifier = verifier;
    }

    @Override
    public Optional<Caller> authenticate(String token) {
        if (!token.startsWith(KeySecrets.ORG.prefix())) return Optional.empty();
        Optional<Caller> caller = verifier.orgCaller(token);
        if (caller.isEmpty()) throw KeyFailures.invalidOrgKey();
        return caller;
    }
}
