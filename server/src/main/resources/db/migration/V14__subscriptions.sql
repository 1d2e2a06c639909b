-- Subscriptions (subscription module): exactly one per organization, created in the organization's own
-- transaction. org_id is a plain column, not a foreign key: no foreign keys across modules.
create table subscriptions (
    org_id               uuid        primary key,
    -- A catalog plan key; the catalog refuses to drop a plan a subscription still points at.
    plan                 text        not null check (plan ~ '^[a-z][a-z0-9_]{0,63}$'),
    -- SubscriptionState; the moves between states are guarded by the trigger below.
    state                text        not null constraint subscriptions_state_check
                                     check (state in ('trialing', 'active', 'past_due', 'grace', 'suspended',
                                                      'canceled', 'expired')),
    current_period_start timestamptz not null,
    current_period_end   timestamptz not null,
    -- A downgrade waiting for the end of the period.
    scheduled_plan       text        check (scheduled_plan ~ '^[a-z][a-z0-9_]{0,63}$'),
    canceled_at          timestamptz,
    -- The organization was deleted: its subscription ended with it (kept for the record, no longer served).
    closed_at            timestamptz,
    created_at           timestamptz not null,
    updated_at           timestamptz not null,
    check (current_period_end > current_period_start),
    check (scheduled_plan is null or scheduled_plan <> plan),
    check ((state = 'canceled') <= (canceled_at is not null)),
    check (closed_at is null or state = 'expired')
);

-- The renewal job's scan: periods that ended.
create index subscriptions_period_end on subscriptions (current_period_end);

-- The state machine of SubscriptionState, in the database too: an update that makes a move the table does not
-- have fails, whoever sends it (SubscriptionStatesTest keeps the two tables equal).
create function subscriptions_transition() returns trigger language plpgsql as $$
begin
    if new.state = old.state then
        return new;
    end if;
    if (old.state, new.state) in (
            ('trialing', 'active'), ('trialing', 'past_due'), ('trialing', 'canceled'), ('trialing', 'expired'),
            ('active', 'past_due'), ('active', 'canceled'),
            ('past_due', 'active'), ('past_due', 'grace'), ('past_due', 'canceled'),
            ('grace', 'active'), ('grace', 'suspended'), ('grace', 'canceled'),
            ('suspended', 'active'), ('suspended', 'canceled'),
            ('canceled', 'active'), ('canceled', 'expired'),
            ('expired', 'trialing'), ('expired', 'active')) then
        return new;
    end if;
    raise exception 'a % subscription cannot become %', old.state, new.state
        using errcode = 'check_violation', constraint = 'subscriptions_transition';
end
$$;

create trigger subscriptions_transition
    before update of state on subscriptions
    for each row execute function subscriptions_transition();

-- Organizations that exist before this migration start on the shipped catalog's default plan, as new ones do.
insert into subscriptions (org_id, plan, state, current_period_start, current_period_end, created_at, updated_at)
select id, 'free', 'active', now(), now() + interval '1 month', now(), now()
from organizations
where deleted_at is null;
