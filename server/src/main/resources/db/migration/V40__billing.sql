-- Billing with Stripe (the billing module). Organization ids are plain columns, not foreign keys into other
-- modules' tables (see docs/architecture.md). Stripe ids are kept as Stripe writes them (cus_..., sub_..., in_...).

-- One row per organization that ever went to checkout: its one Stripe customer, and what Stripe last told us
-- about its subscription. The row is inserted before the customer is created and locked while it is, so
-- concurrent checkouts of one organization create one customer; the unique index makes a second impossible.
create table billing_accounts (
    org_id                 uuid        primary key,
    stripe_customer_id     text        unique check (stripe_customer_id ~ '^cus_[A-Za-z0-9_]{1,250}$'),
    stripe_subscription_id text        check (stripe_subscription_id ~ '^sub_[A-Za-z0-9_]{1,250}$'),
    -- Stripe's own subscription status, as last fetched (not our SubscriptionState).
    stripe_status          text        check (stripe_status in ('incomplete', 'incomplete_expired', 'trialing',
                                                                'active', 'past_due', 'canceled', 'unpaid',
                                                                'paused')),
    current_period_end     timestamptz,
    -- Dunning: where the organization stands after a failed payment and since when (the dunning job's clock).
    dunning_stage          text        constraint billing_accounts_dunning_check
                                       check (dunning_stage in ('past_due', 'grace', 'suspended')),
    dunning_since          timestamptz,
    created_at             timestamptz not null,
    updated_at             timestamptz not null,
    check ((dunning_stage is null) = (dunning_since is null)),
    check ((stripe_subscription_id is null) <= (stripe_status is null))
);
create unique index billing_accounts_subscription on billing_accounts (stripe_subscription_id);
create index billing_accounts_dunning on billing_accounts (dunning_stage, dunning_since)
    where dunning_stage is not null;

-- Every Stripe event received with a valid signature, once: the primary key is the replay protection (a
-- redelivered event finds its row and is a no-op). The raw body is kept as received, so processing (and an
-- admin's replay) works from exactly what Stripe signed.
create table stripe_events (
    id           text        primary key check (id ~ '^evt_[A-Za-z0-9_]{1,250}$'),
    type         text        not null check (length(type) between 1 and 200),
    -- Stripe's own "created" of the event.
    created      timestamptz not null,
    payload      text        not null,
    received_at  timestamptz not null,
    -- The processing job (jobs module), enqueued in the transaction that stored the event; its state there is
    -- the retry and dead-letter record.
    job_id       uuid,
    state        text        not null constraint stripe_events_state_check
                             check (state in ('received', 'processed', 'ignored', 'dead')),
    processed_at timestamptz,
    check ((state in ('processed', 'ignored')) = (processed_at is not null))
);
create index stripe_events_received on stripe_events (received_at);

-- Checkouts started: our operation id is the idempotency key of the Stripe call that made the session.
create table billing_checkouts (
    id                uuid        primary key,
    org_id            uuid        not null,
    kind              text        not null check (kind in ('subscription', 'credits')),
    plan              text        check (plan ~ '^[a-z][a-z0-9_]{0,63}$'),
    packs             integer     check (packs between 1 and 1000),
    credits           bigint      check (credits > 0),
    stripe_session_id text        unique,
    created_by        uuid        not null,
    created_at        timestamptz not null,
    check ((kind = 'subscription') = (plan is not null)),
    check ((kind = 'credits') = (packs is not null and credits is not null))
);

-- Credit top-ups paid: one row per paid checkout session, so the credits are published exactly once however
-- often Stripe redelivers the event.
create table billing_credit_purchases (
    stripe_session_id text        primary key,
    org_id            uuid        not null,
    credits           bigint      not null check (credits > 0),
    amount_minor      bigint      not null check (amount_minor >= 0),
    currency          text        not null check (currency ~ '^[a-z]{3}$'),
    payment_intent_id text,
    stripe_event_id   text        not null,
    created_at        timestamptz not null
);

-- Invoices mirrored from Stripe, always from a fresh fetch of the invoice; the newest fetch wins.
create table billing_invoices (
    id                 text        primary key check (id ~ '^in_[A-Za-z0-9_]{1,250}$'),
    -- Our own id of the row: the tie-breaker of the list's keyset pages.
    row_id             uuid        not null unique default gen_random_uuid(),
    org_id             uuid        not null,
    number             text,
    status             text        not null check (status in ('draft', 'open', 'paid', 'uncollectible', 'void')),
    currency           text        not null check (currency ~ '^[a-z]{3}$'),
    amount_due         bigint      not null check (amount_due >= 0),
    amount_paid        bigint      not null check (amount_paid >= 0),
    total              bigint      not null,
    hosted_invoice_url text,
    invoice_pdf        text,
    period_start       timestamptz,
    period_end         timestamptz,
    created            timestamptz not null,
    updated_at         timestamptz not null
);
create index billing_invoices_org on billing_invoices (org_id, created desc, row_id desc);

-- Payment facts, each published once: invoices paid and failed attempts, refunds (one row per Stripe refund
-- id), disputes opened and closed (one row per dispute and kind).
create table billing_adjustments (
    id              text        not null,
    kind            text        not null check (kind in ('invoice_paid', 'payment_failed', 'refund',
                                                         'dispute_created', 'dispute_closed')),
    org_id          uuid        not null,
    -- The charge, or for invoice facts the invoice.
    charge_id       text        not null,
    amount_minor    bigint      not null check (amount_minor >= 0),
    currency        text        not null check (currency ~ '^[a-z]{3}$'),
    status          text        not null,
    stripe_event_id text,
    created_at      timestamptz not null,
    primary key (id, kind)
);

-- Refunds asked for by an admin through the API: our operation id is the Stripe idempotency key.
create table billing_refund_requests (
    id               uuid        primary key,
    org_id           uuid        not null,
    charge_id        text        not null check (charge_id ~ '^ch_[A-Za-z0-9_]{1,250}$'),
    amount_minor     bigint      check (amount_minor > 0),
    reason           text        not null check (length(reason) between 1 and 500),
    stripe_refund_id text,
    status           text        not null check (status in ('requested', 'succeeded', 'pending', 'failed',
                                                            'canceled', 'requires_action')),
    requested_by     uuid        not null,
    created_at       timestamptz not null
);
