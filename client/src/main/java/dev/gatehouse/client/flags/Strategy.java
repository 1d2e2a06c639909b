package dev.gatehouse.client.flags;

import java.util.List;

/**
 * One way a flag can be on. A flag is on for a context when any of its strategies matches (or it has none); a
 * strategy matches when its type says so and all its constraints and all constraints of its segments hold.
 *
 * @param rollout percentage for {@link StrategyType#FLEXIBLE_ROLLOUT}, 0 to 100 (null otherwise)
 * @param stickiness the context field whose value keeps a caller in or out of a rollout (and on one of the
 *     strategy's variants): {@code default} (user id, else session id, else random), {@code random}, or any
 *     field or property name; null means {@code default}
 * @param groupId the hashing group of the rollout and of the strategy's variants; null means the flag's key
 * @param userIds the allow-list of {@link StrategyType#USER_IDS}
 * @param orgIds the allow-list of {@link StrategyType#ORG_IDS}
 * @param ips addresses and CIDR ranges of {@link StrategyType#REMOTE_ADDRESS}
 * @param segments names of segments whose constraints must also hold
 * @param variants when this strategy is the first matching one with variants, the variant comes from these
 *     instead of the flag's
 */
public record Strategy(
        StrategyType type,
        Integer rollout,
        String stickiness,
        String groupId,
        List<String> userIds,
        List<String> orgIds,
        List<String> ips,
        List<Constraint> constraints,
        List<String> segments,
        List<Variant> variants) {

    public Strategy {
        if (type == null) throw new IllegalArgumentException("strategy type is required");
        userIds = Checks.list(userIds, "user_ids");
        orgIds = Checks.list(orgIds, "org_ids");
        ips = Checks.list(ips, "ips");
        constraints = Checks.list(constraints, "constraints");
        segments = Checks.list(segments, "segments");
        variants = Checks.list(variants, "variants");
        if (type == StrategyType.FLEXIBLE_ROLLOUT) {
            if (rollout == null || rollout < 0 || rollout > 100) {
                throw new IllegalArgumentException("flexible_rollout needs a rollout from 0 to 100");
            }
        } else if (rollout != null) {
            throw new IllegalArgumentException("rollout belongs to flexible_rollout only");
        }
        if (stickiness != null) Checks.text(stickiness, "stickiness", 100);
        if (groupId != null) Checks.text(groupId, "group_id", 200);
        if (type != StrategyType.USER_IDS && !userIds.isEmpty()) {
            throw new IllegalArgumentException("user_ids belongs to the user_ids strategy only");
        }
        if (type != StrategyType.ORG_IDS && !orgIds.isEmpty()) {
            throw new IllegalArgumentException("org_ids belongs to the org_ids strategy only");
        }
        if (type != StrategyType.REMOTE_ADDRESS && !ips.isEmpty()) {
            throw new IllegalArgumentException("ips belongs to the remote_address strategy only");
        }
    }

    public static Strategy on() {
        return new Strategy(StrategyType.DEFAULT, null, null, null, null, null, null, null, null, null);
    }

    public static Strategy rollout(int percent, String stickiness, String groupId) {
        return new Strategy(
                StrategyType.FLEXIBLE_ROLLOUT, percent, stickiness, groupId, null, null, null, null, null, null);
    }

    public static Strategy users(List<String> userIds) {
        return new Strategy(StrategyType.USER_IDS, null, null, null, userIds, null, null, null, null, null);
    }

    public static Strategy orgs(List<String> orgIds) {
        return new Strategy(StrategyType.ORG_IDS, null, null, null, null, orgIds, null, null, null, null);
    }

    public Strategy withConstraints(List<Constraint> more) {
        return new Strategy(type, rollout, stickiness, groupId, userIds, orgIds, ips, more, segments, variants);
    }

    public Strategy withSegments(List<String> names) {
        return new Strategy(type, rollout, stickiness, groupId, userIds, orgIds, ips, constraints, names, variants);
    }

    public Strategy withVariants(List<Variant> list) {
        return new Strategy(type, rollout, stickiness, groupId, userIds, orgIds, ips, constraints, segments, list);
    }

    /** Invalid IP literals, bad constraint values: what an admin API should refuse (the engine only ignores). */
    public Strategy validate() {
        for (String ip : ips) {
            if (IpRange.parse(ip) == null) throw new IllegalArgumentException("not an IP address or CIDR range: " + ip);
        }
        constraints.forEach(Constraint::validate);
        return this;
    }
}
