-- Disputes and the monthly close of the credits ledger (V30).

-- A member's dispute of a transaction that took credits from the organization (a settle, a debit, ...). Admins
-- refund it (a compensating 'refund' transaction from the refunds account) or reject it with a note.
create table credit_disputes (
    id             uuid        primary key,
    org_id         uuid        not null,
    transaction_id uuid        not null references credit_transactions (id),
    -- The entry the member pointed at, when they named one rather than the transaction.
    entry_id       uuid        references credit_entries (id),
    -- What the transaction took from the organization's own accounts, less what earlier disputes refunded
    -- (micro-PT): the most this dispute may refund.
    amount         bigint      not null check (amount > 0),
    reason         text        not null check (length(reason) between 1 and 1000),
    opened_by      uuid        not null,
    opened_at      timestamptz not null,
    state          text        not null check (state in ('open', 'refunded', 'rejected')),
    resolved_by    uuid,
    resolved_at    timestamptz,
    note           text        check (length(note) between 1 and 1000),
    refund_amount  bigint      check (refund_amount > 0 and refund_amount <= amount),
    refund_tx      uuid        references credit_transactions (id),
    check ((state = 'open') = (resolved_at is null)),
    check ((state = 'open') = (resolved_by is null)),
    check ((state = 'refunded') = (refund_tx is not null)),
    check ((state = 'refunded') = (refund_amount is not null)),
    check (state <> 'rejected' or note is not null)
);
-- A transaction is in at most one open dispute at a time.
create unique index credit_disputes_one_open on credit_disputes (transaction_id) where state = 'open';
-- A refund transaction refunds one dispute.
create unique index credit_disputes_refund_tx on credit_disputes (refund_tx) where refund_tx is not null;
create index credit_disputes_org on credit_disputes (org_id, opened_at, id);
create index credit_disputes_queue on credit_disputes (state, opened_at, id);

-- A resolved dispute is final: only an open one may change (to resolved), and none is ever deleted.
create function credit_disputes_final() returns trigger language plpgsql as $$
begin
    if tg_op = 'DELETE' or old.state <> 'open' then
        raise exception 'credit_dispute_final: dispute % is % and cannot change', old.id, old.state
            using errcode = 'restrict_violation', constraint = 'credit_dispute_final';
    end if;
    return new;
end $$;

create trigger credit_disputes_final
    before update or delete on credit_disputes
    for each row execute function credit_disputes_final();

-- Closed months (UTC) of the ledger. Closing a month makes every entry dated before its end immutable in the
-- strongest sense: no new entry may be dated there either (the trigger below), so the snapshot stays true.
create table credit_periods (
    period       date        primary key check (extract(day from period) = 1),
    starts_at    timestamptz not null,
    ends_at      timestamptz not null check (ends_at > starts_at),
    closed_at    timestamptz not null check (closed_at >= ends_at),
    closed_by    uuid,
    transactions bigint      not null check (transactions >= 0),
    entries      bigint      not null check (entries >= 0),
    -- MD5 over the period's entries (id and amount, by id) at close: the report recomputes it to show that
    -- nothing dated in the period changed since.
    digest       text        not null
);

-- The snapshot: every account's balance at the start and end of the period, per organization (rows where all
-- three are zero are left out).
create table credit_period_balances (
    period   date   not null references credit_periods (period),
    org_id   uuid   not null,
    account  text   not null,
    opening  bigint not null,
    activity bigint not null,
    closing  bigint not null,
    primary key (period, org_id, account),
    foreign key (org_id, account) references credit_accounts (org_id, account),
    check (closing = opening + activity)
);

-- Corrections of closed periods: 'correction' transactions dated in the open period, each naming the closed
-- period it corrects.
create table credit_period_corrections (
    transaction_id uuid not null primary key references credit_transactions (id),
    period         date not null references credit_periods (period),
    org_id         uuid not null
);
create index credit_period_corrections_period on credit_period_corrections (period);

-- Periods, snapshots and corrections are append-only like the entries themselves.
create trigger credit_periods_append_only
    before update or delete on credit_periods
    for each row execute function credit_ledger_is_append_only();
create trigger credit_periods_no_truncate
    before truncate on credit_periods
    for each statement execute function credit_ledger_is_append_only();
create trigger credit_period_balances_append_only
    before update or delete on credit_period_balances
    for each row execute function credit_ledger_is_append_only();
create trigger credit_period_balances_no_truncate
    before truncate on credit_period_balances
    for each statement execute function credit_ledger_is_append_only();
create trigger credit_period_corrections_append_only
    before update or delete on credit_period_corrections
    for each row execute function credit_ledger_is_append_only();

-- No entry or transaction may be dated before the end of the latest closed period. Statement-level with the
-- inserted rows as a transition table: one look at the (tiny) periods table per statement, not per row, as
-- Ledger.post writes a transaction's entries in one statement. The close takes a SHARE lock on both tables
-- before its snapshot, so a posting in flight when it starts is either in the snapshot or refused here.
create function credit_open_period() returns trigger language plpgsql as $$
declare
    closed_until timestamptz;
    earliest     timestamptz;
begin
    select max(ends_at) into closed_until from credit_periods;
    if closed_until is null then
        return null;
    end if;
    select min(created_at) into earliest from new_rows;
    if earliest < closed_until then
        raise exception 'credit_period_closed: % dated % falls in a closed period (closed until %); post a correction in the open period',
            tg_table_name, earliest, closed_until
            using errcode = 'check_violation', constraint = 'credit_period_closed';
    end if;
    return null;
end $$;

create trigger credit_entries_open_period
    after insert on credit_entries
    referencing new table as new_rows
    for each statement execute function credit_open_period();
create trigger credit_transactions_open_period
    after insert on credit_transactions
    referencing new table as new_rows
    for each statement execute function credit_open_period();
