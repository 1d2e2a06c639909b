package dev.gatehouse.credits;

import static dev.gatehouse.platform.Timestamps.utc;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * The drift check: recomputes every cached balance (accounts and blocks) from the entries and reports any
 * difference. Entries are the truth; a drift means a bug or a hand-made change, and is reported, never "fixed"
 * silently. Run daily by {@link CreditHousekeeping} and on demand by admins; each run is recorded.
 */
@Component
class Drift {

    private final JdbcClient db;
    private final JsonMapper json;

    Drift(JdbcClient db, JsonMapper json) {
        this.db = db;
        this.json = json;
    }

    /** One cached balance that is not the sum of its entries. */
    record Difference(
            String kind, UUID org, String account, @Nullable UUID block, long cached, long derived) {}

    /** A run's result. */
    record Report(UUID id, Instant checkedAt, int accounts, int blocks, List<Difference> drifts) {}

    /** Checks one organization, or every one when {@code org} is null. */
    List<Difference> differences(@Nullable UUID org) {
        List<Difference> found = new ArrayList<>();
        // One organization's check reads its rows through the indexes; the whole check reads everything.
        String entries = org == null ? "true" : "org_id = :org";
        String accounts = org == null ? "true" : "a.org_id = :org";
        String blocks = org == null ? "true" : "b.org_id = :org";
        Map<String, Object> params = org == null ? Map.of() : Map.of("org", org);
        db.sql("""
                        select a.org_id, a.account, a.balance, coalesce(e.total, 0) as derived
                        from credit_accounts a
                        left join (select org_id, account, sum(amount) as total from credit_entries
                                   where %s group by org_id, account) e
                          on e.org_id = a.org_id and e.account = a.account
                        where %s and a.balance <> coalesce(e.total, 0)
                        """.formatted(entries, accounts)).params(params).query(rs -> {
            found.add(new Difference(
                    "account",
                    rs.getObject("org_id", UUID.class),
                    rs.getString("account"),
                    null,
                    rs.getLong("balance"),
                    rs.getLong("derived")));
        });
        db.sql("""
                        select b.id, b.org_id, b.remaining, b.held, coalesce(e.available, 0) as available,
                               coalesce(e.held, 0) as derived_held
                        from credit_blocks b
                        left join (select block_id,
                                          sum(amount) filter (where account = 'available') as available,
                                          sum(amount) filter (where account = 'held') as held
                                   from credit_entries where block_id is not null and %s
                                   group by block_id) e on e.block_id = b.id
                        where %s and (b.remaining <> coalesce(e.available, 0) or b.held <> coalesce(e.held, 0))
                        """.formatted(entries, blocks)).params(params).query(rs -> {
            UUID block = rs.getObject("id", UUID.class);
            UUID owner = rs.getObject("org_id", UUID.class);
            if (rs.getLong("remaining") != rs.getLong("available")) {
                found.add(new Difference(
                        "block", owner, "available", block, rs.getLong("remaining"), rs.getLong("available")));
            }
            if (rs.getLong("held") != rs.getLong("derived_held")) {
                found.add(
                        new Difference("block", owner, "held", block, rs.getLong("held"), rs.getLong("derived_held")));
            }
        });
        return found;
    }

    /** Checks everything and records the run. */
    Report check(Instant now) {
        List<Difference> drifts = differences(null);
        int accounts = db.sql("select count(*) from credit_accounts")
                .query(Integer.class)
                .single();
        int blocks = db.sql("select count(*) from credit_blocks")
                .query(Integer.class)
                .single();
        UUID id = UUID.randomUUID();
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Difference d : drifts) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("kind", d.kind());
            row.put("org", d.org().toString());
            row.put("account", d.account());
            if (d.block() != null) row.put("block", d.block().toString());
            row.put("cached", d.cached());
            row.put("derived", d.derived());
            rows.add(row);
        }
        db.sql("""
                        insert into credit_drift_checks (id, checked_at, accounts, blocks, drifts)
                        values (:id, :now, :accounts, :blocks, cast(:drifts as jsonb))
                        """)
                .param("id", id)
                .param("now", utc(now))
                .param("accounts", accounts)
                .param("blocks", blocks)
                .param("drifts", json.writeValueAsString(rows))
                .update();
        return new Report(id, now, accounts, blocks, drifts);
    }
}
