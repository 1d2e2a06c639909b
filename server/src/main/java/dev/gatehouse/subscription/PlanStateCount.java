package dev.gatehouse.subscription;

/**
 * How many organizations' subscriptions are on one plan in one state: platform statistics for admins.
 *
 * @param plan the subscribed plan's key
 */
public record PlanStateCount(String plan, SubscriptionState state, long organizations) {}
