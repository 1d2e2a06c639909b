-- Usage metering and quotas (the metering module). Organization ids are plain columns, not foreign keys into
-- the organization module's tables (see docs/architecture.md). Periods are UTC calendar hours, days and months.

-- Every accepted usage event, once. The primary key is the deduplication: an event id the organization
-- already sent is a duplicate for as long as its row is kept (gatehouse.metering.retention), and an insert
-- of the same id by a concurrent batch waits for that batch and then finds it. No other index: each one is
-- written by every event, and ingest is the hot path. The purge finds old rows through the BRIN index, a
-- few pages per range of blocks since rows arrive in received_at order.
create table usage_events (
    org_id      uuid        not null,
    event_id    text        not null check (length(event_id) between 1 and 128),
    meter       text        not null,
    value       numeric     not null check (value >= 0),
    occurred_at timestamptz not null,
    received_at timestamptz not null,
    -- The event's flat properties object; null when it had none.
    properties  jsonb,
    primary key (org_id, event_id)
);
create index usage_events_received_brin on usage_events using brin (received_at);

-- Pre-aggregated usage per organization, meter and period, updated in the transaction that accepts the
-- events or admits the quota consumption, so it never disagrees with them. Each event updates its day's row
-- and its month's row, and its hour's row when a plan of the catalog limits the meter per hour. A quota
-- consumption is admitted against the row of its limit's period while holding that row's lock, which is what
-- makes the check and the increment one atomic step on every node.
create table usage_totals (
    org_id       uuid        not null,
    meter        text        not null,
    period       text        not null check (period in ('hour', 'day', 'month')),
    -- The start of the period (UTC).
    period_start timestamptz not null,
    -- Accepted events, and the sum and maximum of their values.
    events       bigint      not null default 0 check (events >= 0),
    value_sum    numeric     not null default 0 check (value_sum >= 0),
    value_max    numeric,
    -- The value of the event with the latest timestamp (on a tie, the one stored last).
    latest_at    timestamptz,
    latest_value numeric,
    -- Units admitted by quota consumption (POST /api/v1/quotas/consume).
    consumed     numeric     not null default 0 check (consumed >= 0),
    primary key (org_id, meter, period, period_start),
    check (period_start = date_trunc(period, period_start, 'UTC')),
    check ((latest_at is null) = (latest_value is null))
);

-- The distinct values seen per day for meters aggregated by unique_count; a range's count is the number of
-- distinct values over its days.
create table usage_uniques (
    org_id  uuid not null,
    meter   text not null,
    day     date not null,
    value   text not null,
    primary key (org_id, meter, day, value)
);

-- Quota consumptions made with an Idempotency-Key, with their answer, written in the transaction that
-- admitted (or refused) them: a retry finds the first answer whatever happened to the node in between. Kept
-- for gatehouse.metering.idempotency-retention (24 h, as the platform's keys).
create table quota_consumptions (
    caller_id       uuid        not null,
    idempotency_key text        not null check (length(idempotency_key) between 1 and 255),
    -- SHA-256 of the request (organization, meter, amount): the same key with another request is refused.
    fingerprint     bytea       not null check (length(fingerprint) = 32),
    org_id          uuid        not null,
    meter           text        not null,
    amount          numeric     not null check (amount > 0),
    allowed         boolean     not null,
    used            numeric     not null,
    quota_limit     numeric,
    resets_at       timestamptz,
    created_at      timestamptz not null,
    primary key (caller_id, idempotency_key)
);
create index quota_consumptions_created_idx on quota_consumptions (created_at);

-- Usage alerts that fired: one per organization, meter, limit period and threshold (80 or 100 % of the
-- limit). The key is what makes each alert fire once per period, on every node.
create table usage_alerts (
    org_id       uuid        not null,
    meter        text        not null,
    period       text        not null check (period in ('hour', 'day', 'month', 'none')),
    -- The start of the limit's period; for a limit without period, of the month it happened in.
    period_start timestamptz not null,
    threshold    smallint    not null check (threshold in (80, 100)),
    used         numeric     not null,
    quota_limit  numeric     not null,
    fired_at     timestamptz not null,
    -- When the owners and billing members were emailed; set in the transaction that queues the emails, so a
    -- redelivered event does not email them twice.
    emailed_at   timestamptz,
    primary key (org_id, meter, period, period_start, threshold)
);

-- Counter rows are updated by every batch of events and every quota consumption; they are small, so a 10 %
-- free page keeps those updates heap-only (HOT) and vacuum cheap.
alter table usage_totals set (fillfactor = 90, autovacuum_vacuum_scale_factor = 0.05);
