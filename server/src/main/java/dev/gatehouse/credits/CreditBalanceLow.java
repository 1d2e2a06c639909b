package dev.gatehouse.credits;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * An organization's available credits fell below one of its plan's low-balance thresholds, for the first time in
 * the subscription period: once per organization, period and threshold (for webhooks and the warning email).
 *
 * @param threshold the threshold crossed, in PT
 * @param available the available balance right after, in PT
 * @param periodStart the start of the subscription period it fired in
 */
public record CreditBalanceLow(
        UUID orgId,
        BigDecimal threshold,
        BigDecimal available,
        Instant periodStart,
        @Nullable String requestId,
        Instant occurredAt)
        implements CreditEvent {}
