package dev.gatehouse.client.flags;

import java.util.Locale;

/**
 * How a strategy decides, before its constraints and segments: {@link #DEFAULT} always (on/off),
 * {@link #FLEXIBLE_ROLLOUT} a sticky percentage, {@link #USER_IDS} and {@link #ORG_IDS} allow-lists,
 * {@link #REMOTE_ADDRESS} addresses and CIDR ranges.
 */
public enum StrategyType {
    DEFAULT,
    FLEXIBLE_ROLLOUT,
    USER_IDS,
    ORG_IDS,
    REMOTE_ADDRESS;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static StrategyType of(String wire) {
        for (StrategyType t : values()) if (t.wire().equals(wire)) return t;
        throw new IllegalArgumentException(
                "strategy type must be one of default, flexible_rollout, user_ids, org_ids, remote_address");
    }
}
