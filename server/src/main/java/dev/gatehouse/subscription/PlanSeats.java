package dev.gatehouse.subscription;

import dev.gatehouse.catalog.Limit;
import dev.gatehouse.organization.SeatPolicy;
import java.util.OptionalInt;
import java.util.UUID;
import org.springframework.stereotype.Component;

/** An organization's seats are its plan's {@code seats} limit (a downgrade lowers it; unlimited when the plan says so). */
// Organization's default unlimited policy backs off (@ConditionalOnMissingBean, judged after component scanning).
@Component
class PlanSeats implements SeatPolicy {

    private final SubscriptionDirectory subscriptions;

    PlanSeats(SubscriptionDirectory subscriptions) {
        this.subscriptions = subscriptions;
    }

    @Override
    public OptionalInt seatLimit(UUID orgId) {
        return subscriptions
                .planOf(orgId)
                .max(Limit.SEATS)
                .map(max -> OptionalInt.of((int) Math.min(max, Integer.MAX_VALUE)))
                .orElse(OptionalInt.empty());
    }
}
