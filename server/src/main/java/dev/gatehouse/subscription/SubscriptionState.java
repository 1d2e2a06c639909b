package dev.gatehouse.subscription;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Where a subscription stands. The moves between states are the table below and nothing else; the
 * {@code subscriptions_transition} trigger in the database holds the same table (a test keeps them equal), and
 * the {@code subscriptions_state_check} constraint the same names.
 *
 * <pre>
 *   trialing ◄─► active ◄──────────────┐   (a trial of a paid plan starts from a free one)
 *      │  │        │  ▲                │
 *      │  │        ▼  │                │
 *      │  │     past_due ──► grace ──► suspended
 *      │  │        │           │          │
 *      │  └──► canceled ◄──────┴──────────┘   (any live state may be canceled)
 *      │          │  ▲
 *      ▼          ▼  │ (resumed before the period ends: canceled → active)
 *   expired ◄─────┘
 *      │
 *      └──► active / trialing  (subscribing again)
 * </pre>
 */
public enum SubscriptionState {
    /** On a trial of the plan until the period ends. */
    TRIALING,
    /** Paid up (or free of charge). */
    ACTIVE,
    /** A payment failed; the plan still applies while billing retries. */
    PAST_DUE,
    /** Retries are over; the plan still applies for the grace period. */
    GRACE,
    /** Not paid after the grace period: the organization gets the default plan's entitlements. */
    SUSPENDED,
    /** Canceled: the plan applies until the period ends, then the subscription expires. */
    CANCELED,
    /** Ended: the organization gets the default plan's entitlements until it subscribes again. */
    EXPIRED;

    private static final Map<SubscriptionState, Set<SubscriptionState>> NEXT = Map.of(
            TRIALING, EnumSet.of(ACTIVE, PAST_DUE, CANCELED, EXPIRED),
            ACTIVE, EnumSet.of(TRIALING, PAST_DUE, CANCELED),
            PAST_DUE, EnumSet.of(ACTIVE, GRACE, CANCELED),
            GRACE, EnumSet.of(ACTIVE, SUSPENDED, CANCELED),
            SUSPENDED, EnumSet.of(ACTIVE, CANCELED),
            CANCELED, EnumSet.of(ACTIVE, EXPIRED),
            EXPIRED, EnumSet.of(TRIALING, ACTIVE));

    /** The name on the wire and in the database. */
    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static SubscriptionState of(String wire) {
        return valueOf(wire.toUpperCase(Locale.ROOT));
    }

    /** Whether a subscription in this state may move to {@code next} (staying put is not a move). */
    public boolean canMoveTo(SubscriptionState next) {
        return NEXT.get(this).contains(next);
    }

    /** Whether the subscribed plan's entitlements apply; otherwise the catalog's default plan's do. */
    public boolean entitles() {
        return this != SUSPENDED && this != EXPIRED;
    }

    /**
     * The move to {@code next}.
     *
     * @throws IllegalStateException for a move the table does not have
     */
    SubscriptionState moveTo(SubscriptionState next) {
        if (!canMoveTo(next)) {
            throw new IllegalStateException("A " + wire() + " subscription cannot become " + next.wire() + ".");
        }
        return next;
    }
}
