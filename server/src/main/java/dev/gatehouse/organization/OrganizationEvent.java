package dev.gatehouse.organization;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A fact the organization module publishes, inside the transaction that made it true. Each is a public
 * record that serializes with Jackson (the event publication registry stores listeners' events as JSON),
 * and the internal contract an outgoing-webhook catalog maps from.
 */
public sealed interface OrganizationEvent
        permits OrganizationCreated,
                OrganizationRenamed,
                OrganizationDeleted,
                MemberInvited,
                InvitationAccepted,
                InvitationRevoked,
                MemberRoleChanged,
                MemberRemoved,
                OwnershipTransferred {

    /** The organization it happened in. */
    UUID orgId();

    /** The user who did it. */
    UUID actorId();

    /** When it happened (the publishing transaction's clock reading). */
    Instant occurredAt();

    /** The id of the HTTP request that caused it ({@code X-Request-Id}); null outside a request. */
    @Nullable
    String requestId();
}
