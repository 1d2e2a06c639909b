package dev.gatehouse.organization;

import java.util.OptionalInt;
import java.util.UUID;

/**
 * How many seats an organization may fill: members plus open, unexpired invitations. The plans module
 * will provide one from the organization's plan; until then a default bean allows any number.
 * Invitations and accepts that would go over the limit are refused with 409 {@code seat_limit_reached}.
 */
public interface SeatPolicy {

    /** The seat limit of the organization, or empty for unlimited. */
    OptionalInt seatLimit(UUID orgId);
}
