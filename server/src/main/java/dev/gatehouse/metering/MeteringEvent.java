package dev.gatehouse.metering;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A fact the metering module publishes, inside the transaction that made it true; the internal contract an
 * outgoing-webhook catalog maps from. Usage itself is not published event by event (tens of thousands a
 * second): other modules read the totals.
 */
public sealed interface MeteringEvent permits UsageThresholdReached {

    /** The organization whose usage it is. */
    UUID orgId();

    /** When it happened (the publishing transaction's clock reading). */
    Instant occurredAt();

    /** The id of the HTTP request that caused it ({@code X-Request-Id}); null outside a request. */
    @Nullable
    String requestId();
}
