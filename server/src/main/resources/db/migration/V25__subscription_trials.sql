-- Trials (subscription module): a free subscription may move to trialing (a trial of a paid plan starts from a
-- free one), and each organization's trials are remembered: one per plan, ever.
create table subscription_trials (
    org_id     uuid        not null,
    plan       text        not null check (plan ~ '^[a-z][a-z0-9_]{0,63}$'),
    started_at timestamptz not null,
    primary key (org_id, plan)
);

-- SubscriptionState's table with active → trialing added (SubscriptionStatesTest keeps the two equal).
create or replace function subscriptions_transition() returns trigger language plpgsql as $$
begin
    if new.state = old.state then
        return new;
    end if;
    if (old.state, new.state) in (
            ('trialing', 'active'), ('trialing', 'past_due'), ('trialing', 'canceled'), ('trialing', 'expired'),
            ('active', 'trialing'), ('active', 'past_due'), ('active', 'canceled'),
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
