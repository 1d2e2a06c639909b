-- Prepaid credits (the credits module): a double-entry ledger in integer micro-PT (1 PT = 1,000,000 micro-PT),
-- never floating point. Organization ids are plain columns, not foreign keys into the organization module's
-- tables (see docs/architecture.md).
--
-- Every movement is a transaction of at least two entries that sum to zero; entries are never updated or
-- deleted. Each organization has its own set of accounts: its own (available, held) and its share of the
-- platform's (issued, revenue, expired, refunds, adjustments). The platform's balance of an account is the sum
-- over organizations. Keeping the platform's side per organization means no row is written by every
-- organization's transactions, so organizations never wait for each other.

-- The accounts with their cached balances: the sum of their entries, written in the transaction that posts
-- them (the daily drift check recomputes and compares). The org's available account row is also the lock
-- every change to the organization's credits takes first, so they happen one at a time per organization.
create table credit_accounts (
    org_id  uuid   not null,
    account text   not null check (account in ('available', 'held', 'issued', 'revenue', 'expired', 'refunds',
                                               'adjustments')),
    balance bigint not null default 0,
    primary key (org_id, account),
    -- Holds can only be what was taken from available.
    check (account <> 'held' or balance >= 0)
);

-- A transaction: what moved and why. Its entries carry the amounts.
create table credit_transactions (
    id             uuid        primary key,
    org_id         uuid        not null,
    kind           text        not null check (kind in ('grant', 'reserve', 'settle', 'release', 'hold_expiry',
                                                        'debit', 'expiry', 'rollover', 'refund', 'clawback',
                                                        'adjustment', 'overdraft_repayment', 'correction')),
    -- What the transaction belongs to: the reservation it holds, settles or releases; the transaction it
    -- reverses (a claw-back, a dispute's refund); null for the others.
    reference      uuid,
    -- The caller's own reference, unique per organization and kind: a purchase's payment, a claw-back's
    -- refund, a plan grant's period. What makes those postings idempotent.
    external_ref   text        check (length(external_ref) between 1 and 255),
    reason         text        check (length(reason) <= 1000),
    actor_id       uuid,
    request_id     text,
    -- Usage behind a debit or settle: user, model, input and output tokens.
    details        jsonb,
    created_at     timestamptz not null
);
create unique index credit_transactions_external_ref on credit_transactions (org_id, kind, external_ref)
    where external_ref is not null;
create index credit_transactions_org_created on credit_transactions (org_id, created_at);

-- A grant is a block: an amount with a priority and an expiry. Spending takes from blocks in order (lower
-- priority number first, then sooner expiry, never-expiring last, then older grant); remaining and held are
-- cached sums of the block's entries on available and held. An organization on a plan that allows overdraft
-- has one overdraft block (no expiry, last in order) whose remaining may go below zero; later grants repay it.
create table credit_blocks (
    id          uuid        primary key,
    org_id      uuid        not null,
    source      text        not null check (source in ('plan', 'purchase', 'promo', 'refund', 'adjustment',
                                                       'rollover', 'overdraft')),
    -- The plan whose monthly grant (or rollover) it is; null for the other sources.
    plan        text,
    priority    integer     not null check (priority between 0 and 1000),
    granted     bigint      not null check (granted >= 0),
    remaining   bigint      not null,
    held        bigint      not null default 0 check (held >= 0),
    expires_at  timestamptz,
    created_at  timestamptz not null,
    grant_tx    uuid        references credit_transactions (id),
    -- When the expiry job moved what was left to expired (or rolled it over).
    expired_at  timestamptz,
    check (remaining >= 0 or source = 'overdraft'),
    check ((source in ('plan', 'rollover')) = (plan is not null))
);
create index credit_blocks_spending_order on credit_blocks (org_id, priority, expires_at, created_at)
    where expired_at is null;
create index credit_blocks_due on credit_blocks (expires_at) where remaining > 0;
create unique index credit_blocks_one_overdraft on credit_blocks (org_id) where source = 'overdraft';

-- The entries: immutable, each on one account; available and held entries name their block.
create table credit_entries (
    id             uuid        primary key,
    transaction_id uuid        not null references credit_transactions (id),
    org_id         uuid        not null,
    account        text        not null,
    block_id       uuid        references credit_blocks (id),
    amount         bigint      not null check (amount <> 0),
    created_at     timestamptz not null,
    foreign key (org_id, account) references credit_accounts (org_id, account),
    check ((account in ('available', 'held')) = (block_id is not null))
);
create index credit_entries_transaction on credit_entries (transaction_id);
create index credit_entries_org_created on credit_entries (org_id, created_at, id);

-- A transaction sums to zero and has at least two entries. Deferred constraint triggers, like the owner rule
-- of V7: a transaction's entries are inserted one statement after another, and only the committed whole
-- must balance. Checked per entry (an entry added to an old, committed transaction is caught too) and per
-- transaction (one committed without entries is caught too).
create function credit_transaction_is_balanced(tx uuid) returns void language plpgsql as $$
declare
    total numeric;
    legs  integer;
begin
    select coalesce(sum(amount), 0), count(*) into total, legs from credit_entries where transaction_id = tx;
    if total <> 0 or legs < 2 then
        -- The constraint's name leads the message too: drivers show the message everywhere.
        raise exception 'credit_transaction_balanced: transaction % has % entries summing to %', tx, legs, total
            using errcode = 'check_violation', constraint = 'credit_transaction_balanced';
    end if;
end $$;

create function credit_entries_balance() returns trigger language plpgsql as $$
begin
    perform credit_transaction_is_balanced(new.transaction_id);
    return null;
end $$;

create constraint trigger credit_entries_balance
    after insert on credit_entries
    deferrable initially deferred
    for each row execute function credit_entries_balance();

create function credit_transactions_balance() returns trigger language plpgsql as $$
begin
    perform credit_transaction_is_balanced(new.id);
    return null;
end $$;

create constraint trigger credit_transactions_balance
    after insert on credit_transactions
    deferrable initially deferred
    for each row execute function credit_transactions_balance();

-- Entries and transactions are append-only: a correction is a new, compensating transaction.
create function credit_ledger_is_append_only() returns trigger language plpgsql as $$
begin
    raise exception 'credit_ledger_append_only: % on % is not allowed; post a compensating transaction',
        tg_op, tg_table_name
        using errcode = 'restrict_violation', constraint = 'credit_ledger_append_only';
end $$;

create trigger credit_entries_append_only
    before update or delete on credit_entries
    for each row execute function credit_ledger_is_append_only();
create trigger credit_entries_no_truncate
    before truncate on credit_entries
    for each statement execute function credit_ledger_is_append_only();
create trigger credit_transactions_append_only
    before update or delete on credit_transactions
    for each row execute function credit_ledger_is_append_only();
create trigger credit_transactions_no_truncate
    before truncate on credit_transactions
    for each statement execute function credit_ledger_is_append_only();

-- Holds: an amount taken from available to held until it is settled, released, or its TTL runs out.
create table credit_reservations (
    id             uuid        primary key,
    org_id         uuid        not null,
    amount         bigint      not null check (amount > 0),
    state          text        not null check (state in ('held', 'settled', 'released', 'expired')),
    expires_at     timestamptz not null,
    created_at     timestamptz not null,
    reserve_tx     uuid        not null references credit_transactions (id),
    -- The settle, release or hold-expiry transaction, and what the settle debited.
    closed_at      timestamptz,
    close_tx       uuid        references credit_transactions (id),
    settled_amount bigint      check (settled_amount >= 0),
    check ((state = 'held') = (closed_at is null)),
    check ((state = 'held') = (close_tx is null)),
    check ((state = 'settled') = (settled_amount is not null))
);
create index credit_reservations_due on credit_reservations (expires_at) where state = 'held';
create index credit_reservations_org on credit_reservations (org_id, created_at);

-- Credit calls made with an Idempotency-Key, with their answer, written in the transaction that made their
-- effect: a retry finds the first answer whatever happened to the node in between (see
-- IgnoresIdempotencyKey.Reason.KEPT_WITH_THE_EFFECT). Kept 24 hours, as the platform's keys.
create table credit_requests (
    caller_id       uuid        not null,
    idempotency_key text        not null check (length(idempotency_key) between 1 and 255),
    -- SHA-256 of the route and body: the same key with another request is refused.
    fingerprint     bytea       not null check (length(fingerprint) = 32),
    status          integer     not null check (status between 200 and 599),
    response        jsonb       not null,
    created_at      timestamptz not null,
    primary key (caller_id, idempotency_key)
);
create index credit_requests_created on credit_requests (created_at);

-- Low-balance warnings that fired: one per organization, subscription period and threshold (in micro-PT).
-- The key is what makes each fire once per period, on every node.
create table credit_warnings (
    org_id       uuid        not null,
    period_start timestamptz not null,
    threshold    bigint      not null check (threshold >= 0),
    balance      bigint      not null,
    fired_at     timestamptz not null,
    -- When its emails were queued: a redelivered event finds it set and emails nobody twice.
    emailed_at   timestamptz,
    primary key (org_id, period_start, threshold)
);

-- Drift between cached balances and entries found by the last check (admin API and the daily job).
create table credit_drift_checks (
    id         uuid        primary key,
    checked_at timestamptz not null,
    accounts   integer     not null check (accounts >= 0),
    blocks     integer     not null check (blocks >= 0),
    drifts     jsonb       not null
);
