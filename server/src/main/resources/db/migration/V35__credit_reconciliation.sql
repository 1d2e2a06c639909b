-- Reconciliation of the credits ledger against a provider's usage (imported CSV or JSON files).

-- One import and its comparison, run as a job. Progress is groups_done of groups_total.
create table credit_reconciliations (
    id                uuid        primary key,
    provider          text        not null check (length(provider) between 1 and 100),
    format            text        not null check (format in ('csv', 'json')),
    state             text        not null check (state in ('queued', 'running', 'completed', 'failed')),
    -- A group (day, model, organization) is a discrepancy when its tokens differ by more than
    -- max(tolerance_tokens, tolerance_percent % of the larger side).
    tolerance_percent numeric     not null check (tolerance_percent >= 0 and tolerance_percent <= 100),
    tolerance_tokens  bigint      not null check (tolerance_tokens >= 0),
    first_day         date        not null,
    last_day          date        not null check (last_day >= first_day),
    rows              integer     not null check (rows > 0),
    groups_total      integer     not null default 0 check (groups_total >= 0),
    groups_done       integer     not null default 0 check (groups_done >= 0 and groups_done <= groups_total),
    discrepancies     integer     check (discrepancies >= 0),
    job_id            uuid,
    created_by        uuid,
    created_at        timestamptz not null,
    started_at        timestamptz,
    finished_at       timestamptz,
    error             text,
    check ((state in ('completed', 'failed')) = (finished_at is not null)),
    check ((state = 'completed') = (discrepancies is not null)),
    check ((state = 'failed') = (error is not null))
);
create index credit_reconciliations_created on credit_reconciliations (created_at, id);

-- The imported rows, as the file had them (an API key already resolved to its organization).
create table credit_reconciliation_rows (
    reconciliation_id uuid    not null references credit_reconciliations (id) on delete cascade,
    line              integer not null check (line > 0),
    day               date    not null,
    model             text    not null check (length(model) between 1 and 200),
    org_id            uuid    not null,
    tokens            bigint  not null check (tokens >= 0),
    cost              numeric not null check (cost >= 0),
    primary key (reconciliation_id, line)
);

-- The comparison, one row per (day, model, organization) on either side.
create table credit_reconciliation_groups (
    reconciliation_id uuid    not null references credit_reconciliations (id) on delete cascade,
    day               date    not null,
    model             text    not null,
    org_id            uuid    not null,
    provider_tokens   bigint  not null,
    provider_cost     numeric not null,
    ledger_tokens     bigint  not null,
    -- What the ledger charged for the group (revenue), micro-PT.
    ledger_credits    bigint  not null,
    status            text    not null check (status in ('match', 'mismatch', 'missing_in_ledger',
                                                         'missing_at_provider')),
    primary key (reconciliation_id, day, model, org_id)
);
