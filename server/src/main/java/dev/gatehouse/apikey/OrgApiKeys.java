package dev.gatehouse.apikey;

import dev.gatehouse.apikey.ApiKey.Kind;
import dev.gatehouse.audit.AuditEntry;
import dev.gatehouse.audit.AuditLog;
import dev.gatehouse.identity.StepUp;
import dev.gatehouse.organization.OrgPermission;
import dev.gatehouse.organization.OrgRole;
import dev.gatehouse.organization.OrganizationDeleted;
import dev.gatehouse.organization.OrganizationDirectory;
import dev.gatehouse.organization.PermissionDenied;
import dev.gatehouse.platform.Caller;
import dev.gatehouse.platform.Page;
import dev.gatehouse.platform.PageCursor;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Organizations' API keys: list, create (the secret is returned once), revoke. Access follows the organization
 * permission table ({@code api_keys.read}, {@code api_keys.manage}); non-members get the same 404 as for an
 * organization that does not exist. Every change is audited in its own transaction and evicted from this
 * node's cache at once (other nodes hear of it through {@link KeyChangeFeed}).
 */
@Service
class OrgApiKeys {

    private final ApiKeys keys;
    private final OrganizationDirectory organizations;
    private final AuditLog audit;
    private final KeyCache cache;
    private final TransactionTemplate tx;
    private final ApiKeySettings settings;
    private final Clock clock;

    private final StepUp stepUp;

    OrgApiKeys(
            ApiKeys keys,
            OrganizationDirectory organizations,
            AuditLog audit,
            KeyCache cache,
            TransactionTemplate tx,
            ApiKeySettings settings,
            StepUp stepUp,
            Clock clock) {
        this.stepUp = stepUp;
        this.keys = keys;
        this.organizations = organizations;
        this.audit = audit;
        this.cache = cache;
        this.tx = tx;
        this.settings = settings;
        this.clock = clock;
    }

    Page<ApiKey> list(UUID orgId, UUID userId, @Nullable PageCursor after, int limit) {
        require(orgId, userId, OrgPermission.API_KEYS_READ);
        return keys.orgPage(orgId, after, limit);
    }

    record Created(ApiKey key, String secret) {}

    Created create(UUID orgId, Caller caller, KeyRequests.NewKey request) {
        Instant now = now();
        String name = request.name().strip();
        List<String> scopes = request.scopeList();
        Instant expiresAt = request.expiry(now);
        Created created = tx.execute(status -> {
            // Holds the organization's row until commit: a concurrent deletion cannot miss this key.
            OrgRole role = organizations.hold(orgId, caller.userId()).orElseThrow(KeyFailures::orgNotFound);
            require(role, OrgPermission.API_KEYS_MANAGE);
            // A new key is a new credential: it needs a recent proof of identity, not just a token. Asked
            // after the membership check, so a non-member still learns nothing about the organization.
            stepUp.require(caller);
            keys.lockOrgForCreation(orgId);
            if (keys.activeInOrg(orgId, now) >= settings.maxActivePerOrg()) {
                throw KeyFailures.tooManyKeys(settings.maxActivePerOrg());
            }
            String secret = KeySecrets.ORG.generate();
            ApiKey key = ApiKey.fresh(Kind.ORG, orgId, name, secret, scopes, expiresAt, caller.userId(), now);
            keys.insert(key, KeySecrets.hash(secret));
            audit.record(AuditEntry.by(caller, "api_key.created")
                    .target("api_key", key.id())
                    .detail("org_id", orgId)
                    .detail("name", name)
                    .detail("prefix", key.prefix())
                    .detail("scopes", scopes)
                    .detail("expires_at", expiresAt));
            return new Created(key, secret);
        });
        if (created == null) throw new IllegalStateException("the transaction returned nothing");
        return created;
    }

    /** Revokes the key; revoking a revoked key changes nothing and answers the same. */
    ApiKey revoke(UUID orgId, Caller caller, UUID keyId) {
        Instant now = now();
        ApiKey revoked = tx.execute(status -> {
            require(orgId, caller.userId(), OrgPermission.API_KEYS_MANAGE);
            ApiKey key = keys.inOrg(orgId, keyId, /* lock= */ true).orElseThrow(KeyFailures::keyNotFound);
            if (key.revokedAt() != null) return key;
            keys.revoke(keyId, caller.userId(), now);
            audit.record(AuditEntry.by(caller, "api_key.revoked")
                    .target("api_key", keyId)
                    .detail("org_id", orgId)
                    .detail("name", key.name())
                    .detail("prefix", key.prefix()));
            cache.evictNowAndAfterCommit(List.of(keyId));
            return key;
        });
        if (revoked == null) throw new IllegalStateException("the transaction returned nothing");
        return revoked;
    }

    /**
     * A deleted organization's keys stop working with it: revoked in the deleting transaction (a plain,
     * synchronous listener joins it, not an {@code @ApplicationModuleListener}), so no key of a deleted
     * organization verifies for even a moment after the deletion commits.
     */
    @EventListener
    void on(OrganizationDeleted e) {
        List<ApiKey> revoked = keys.revokeAllInOrg(e.orgId(), e.actorId(), e.occurredAt());
        for (ApiKey key : revoked) {
            audit.record(AuditEntry.by(e.actorId(), "api_key.revoked")
                    .target("api_key", key.id())
                    .detail("org_id", e.orgId())
                    .detail("name", key.name())
                    .detail("prefix", key.prefix())
                    .detail("reason", "organization_deleted"));
        }
        cache.evictNowAndAfterCommit(revoked.stream().map(ApiKey::id).toList());
    }

    /** Non-members (and everyone, for a deleted or unknown organization) get 404; members lacking it, 403. */
    private void require(UUID orgId, UUID userId, OrgPermission permission) {
        require(organizations.roleOf(orgId, userId).orElseThrow(KeyFailures::orgNotFound), permission);
    }

    private static void require(OrgRole role, OrgPermission permission) {
        if (!permission.permits(role)) throw new PermissionDenied(permission);
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
