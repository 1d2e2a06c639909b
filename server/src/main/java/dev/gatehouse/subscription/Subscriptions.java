package dev.gatehouse.subscription;

import static dev.gatehouse.platform.Timestamps.instant;
import static dev.gatehouse.platform.Timestamps.nullableInstant;
import static dev.gatehouse.platform.Timestamps.utc;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The {@code subscriptions} table: one row per organization. */
@Repository
class Subscriptions {

    private static final String COLUMNS = "org_id, plan, state, current_period_start, current_period_end,"
            + " scheduled_plan, canceled_at, created_at, updated_at";

    /** Subscriptions still served: not those of deleted organizations. */
    private static final String OPEN = " and closed_at is null";

    private final JdbcClient db;

    Subscriptions(JdbcClient db) {
        this.db = db;
    }

    void insert(Subscription s) {
        db.sql("insert into subscriptions (" + COLUMNS + ") values (:orgId, :plan, :state, :periodStart,"
                        + " :periodEnd, :scheduledPlan, :canceledAt, :createdAt, :updatedAt)")
                .params(params(s))
                .update();
    }

    Optional<Subscription> find(UUID orgId) {
        return db.sql("select " + COLUMNS + " from subscriptions where org_id = :orgId" + OPEN)
                .param("orgId", orgId)
                .query(Subscriptions::map)
                .optional();
    }

    /** The row, locked until the transaction ends: changes to one subscription apply one after another. */
    Optional<Subscription> lock(UUID orgId) {
        return db.sql("select " + COLUMNS + " from subscriptions where org_id = :orgId" + OPEN + " for update")
                .param("orgId", orgId)
                .query(Subscriptions::map)
                .optional();
    }

    void update(Subscription s) {
        db.sql("""
                        update subscriptions set plan = :plan, state = :state, current_period_start = :periodStart,
                            current_period_end = :periodEnd, scheduled_plan = :scheduledPlan, canceled_at = :canceledAt,
                            updated_at = :updatedAt
                        where org_id = :orgId
                        """).params(params(s)).update();
    }

    /** The subscription of a deleted organization is kept, expired, and no longer served. */
    /**
     * Records the organization's trial of the plan; false when it had one already (one trial per organization and
     * plan, ever: the row outlives the trial).
     */
    boolean recordTrial(UUID orgId, String plan, Instant now) {
        return db.sql("insert into subscription_trials (org_id, plan, started_at) values (:orgId, :plan, :now)"
                                + " on conflict do nothing")
                        .param("orgId", orgId)
                        .param("plan", plan)
                        .param("now", utc(now))
                        .update()
                == 1;
    }

    void close(UUID orgId, Instant now) {
        db.sql("update subscriptions set closed_at = :now, updated_at = :now where org_id = :orgId")
                .param("orgId", orgId)
                .param("now", utc(now))
                .update();
    }

    /**
     * Up to {@code limit} subscriptions whose period ended and that the end of a period changes, locked; rows
     * another node is renewing are skipped.
     */
    List<Subscription> lockEnded(Instant now, int limit) {
        return db.sql("select " + COLUMNS + " from subscriptions where current_period_end <= :now"
                        + " and state in ('trialing', 'active', 'canceled')" + OPEN
                        + " order by current_period_end limit :limit for update skip locked")
                .param("now", utc(now))
                .param("limit", limit)
                .query(Subscriptions::map)
                .list();
    }

    /** Open subscriptions (of organizations that exist) by plan and state. */
    List<PlanStateCount> counts() {
        return db.sql("""
                        select plan, state, count(*) as n from subscriptions where closed_at is null
                        group by plan, state order by plan, state
                        """)
                .query((rs, n) -> new PlanStateCount(
                        rs.getString("plan"), SubscriptionState.of(rs.getString("state")), rs.getLong("n")))
                .list();
    }

    /** Plans subscriptions point at (their plan while not expired, and scheduled downgrades), with counts. */
    Map<String, Long> plansInUse() {
        Map<String, Long> inUse = new LinkedHashMap<>();
        db.sql("""
                        select plan, count(*) as n from (
                            select plan from subscriptions where state <> 'expired' and closed_at is null
                            union all
                            select scheduled_plan from subscriptions
                            where scheduled_plan is not null and closed_at is null) p
                        group by plan order by plan
                        """).query(rs -> {
            inUse.put(rs.getString("plan"), rs.getLong("n"));
        });
        return inUse;
    }

    private static Map<String, Object> params(Subscription s) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("orgId", s.orgId());
        p.put("plan", s.plan());
        p.put("state", s.state().wire());
        p.put("periodStart", utc(s.periodStart()));
        p.put("periodEnd", utc(s.periodEnd()));
        p.put("scheduledPlan", s.scheduledPlan());
        p.put("canceledAt", utc(s.canceledAt()));
        p.put("createdAt", utc(s.createdAt()));
        p.put("updatedAt", utc(s.updatedAt()));
        return p;
    }

    private static Subscription map(ResultSet rs, int n) throws SQLException {
        return new Subscription(
                rs.getObject("org_id", UUID.class),
                rs.getString("plan"),
                SubscriptionState.of(rs.getString("state")),
                instant(rs, "current_period_start"),
                instant(rs, "current_period_end"),
                rs.getString("scheduled_plan"),
                nullableInstant(rs, "canceled_at"),
                instant(rs, "created_at"),
                instant(rs, "updated_at"));
    }
}
