package dev.gatehouse.identity;

/**
 * How many accounts there are, by status: platform statistics for admins.
 *
 * @param total active and suspended accounts (deleted ones are not counted in it)
 * @param deleted accounts an admin deleted (their rows are kept)
 */
public record UserCounts(long total, long active, long suspended, long deleted) {}
