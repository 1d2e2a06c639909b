package dev.gatehouse.metering;

import dev.gatehouse.catalog.Period;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * An organization's usage of a meter reached 80 % or 100 % of its plan's limit. Published once per
 * organization, meter, limit period and threshold, on whichever node's write crossed it.
 *
 * @param orgId the organization
 * @param meter the meter
 * @param thresholdPercent 80 or 100
 * @param used the usage right after the crossing
 * @param limit the plan's limit
 * @param period the limit's period
 * @param periodStart the start of the period (UTC); for a limit without period, of the month it happened in
 * @param resetsAt when the period's count starts again; null for a limit without period
 * @param requestId the request whose usage crossed it
 * @param occurredAt when
 */
public record UsageThresholdReached(
        UUID orgId,
        String meter,
        int thresholdPercent,
        BigDecimal used,
        BigDecimal limit,
        Period period,
        Instant periodStart,
        @Nullable Instant resetsAt,
        @Nullable String requestId,
        Instant occurredAt)
        implements MeteringEvent {}
