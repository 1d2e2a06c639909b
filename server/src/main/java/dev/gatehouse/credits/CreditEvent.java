package dev.gatehouse.credits;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A fact the credits module publishes, inside the transaction that made it true; the internal contract an
 * outgoing-webhook catalog maps from. Ledger movements themselves are not published one by one: other modules read
 * balances through the module's API.
 */
public sealed interface CreditEvent permits CreditBalanceLow {

    /** The organization whose credits they are. */
    UUID orgId();

    /** When it happened. */
    Instant occurredAt();

    /** The id of the HTTP request that caused it ({@code X-Request-Id}); null outside a request. */
    @Nullable
    String requestId();
}
