-- Onboarding: versioned step definitions, each user's progress through the active version, snoozes.
-- User ids are plain columns, not foreign keys into identity's tables (see docs/architecture.md). Every row
-- about a user lives in onboarding_users and the two tables that cascade from it, so the privacy export and
-- deletion read or remove one user's onboarding data in one place.

-- A version is a whole checklist. Drafts are edited by being replaced (created anew); the one active version
-- is what users see; a migration retires it and activates a draft. Versions are never reused or renumbered.
create table onboarding_versions (
    version      integer generated always as identity primary key,
    state        text        not null,
    description  text        check (length(description) between 1 and 500),
    -- The admin who created it; null for the version this migration seeds.
    created_by   uuid,
    created_at   timestamptz not null,
    activated_at timestamptz,
    retired_at   timestamptz,
    constraint onboarding_versions_state_check check (state in ('draft', 'active', 'retired')),
    check ((state = 'draft') = (activated_at is null)),
    check ((state = 'retired') = (retired_at is not null))
);
-- At most one active version, whatever the code does.
create unique index onboarding_versions_one_active on onboarding_versions ((true)) where state = 'active';

-- The steps of a version. Markets and roles filter who a step applies to (empty: everyone); gates name the
-- product actions (publish, checkout, ...) that need the step done first.
create table onboarding_steps (
    version     integer     not null references onboarding_versions on delete cascade,
    key         text        not null check (key ~ '^[a-z][a-z0-9_]{0,63}$'),
    position    integer     not null check (position between 0 and 99),
    title       text        not null check (length(title) between 1 and 200),
    description text        check (length(description) between 1 and 1000),
    weight      integer     not null check (weight between 1 and 1000),
    required    boolean     not null,
    markets     text[]      not null default '{}'
        check (cardinality(markets) <= 300 and array_to_string(markets, ',') ~ '^([A-Z]{2}(,[A-Z]{2})*)?$'),
    roles       text[]      not null default '{}'
        check (cardinality(roles) <= 20 and array_to_string(roles, ',') ~ '^([a-z][a-z0-9_]{0,31}(,[a-z][a-z0-9_]{0,31})*)?$'),
    gates       text[]      not null default '{}'
        check (cardinality(gates) <= 20 and array_to_string(gates, ',') ~ '^([a-z][a-z0-9_]{0,63}(,[a-z][a-z0-9_]{0,63})*)?$'),
    primary key (version, key),
    unique (version, position)
);

-- One row per user who has changed a step or snoozed; a user without one is at "everything todo".
create table onboarding_users (
    user_id       uuid        primary key,
    -- The end of the current snooze (the nudge is hidden until then), if any.
    snoozed_until timestamptz,
    created_at    timestamptz not null
);

-- A user's state of one step of the active version. A step without a row is todo at row_version 1; a row is
-- written on the first change. row_version only ever grows (optimistic locking: a write names the version
-- it read, and a stale one is refused), also across version migrations.
create table onboarding_progress (
    user_id      uuid        not null references onboarding_users on delete cascade,
    version      integer     not null,
    step_key     text        not null,
    status       text        not null,
    row_version  integer     not null check (row_version >= 1),
    updated_at   timestamptz not null,
    completed_at timestamptz,
    primary key (user_id, step_key),
    foreign key (version, step_key) references onboarding_steps (version, key),
    constraint onboarding_progress_status_check check (status in ('todo', 'done', 'skipped')),
    check ((status = 'done') = (completed_at is not null))
);
create index onboarding_progress_version_idx on onboarding_progress (version);

-- Snoozes in the last day (older ones are deleted as new ones come), to hold users to the daily limit.
create table onboarding_snoozes (
    id         bigint      generated always as identity primary key,
    user_id    uuid        not null references onboarding_users on delete cascade,
    snoozed_at timestamptz not null,
    until      timestamptz not null,
    check (until > snoozed_at)
);
create index onboarding_snoozes_user_idx on onboarding_snoozes (user_id, snoozed_at);

-- The default checklist, version 1: a generic SaaS product's first steps. Admins replace it with their own
-- (POST /api/v1/admin/onboarding/versions, then migrate-version). Weights add up to 100.
insert into onboarding_versions (state, description, created_at, activated_at)
values ('active', 'The default checklist', now(), now());

insert into onboarding_steps (version, key, position, title, description, weight, required, markets, roles, gates)
select v.version, s.key, s.position, s.title, s.description, s.weight, s.required, s.markets, s.roles, s.gates
from onboarding_versions v,
     (values
        ('complete_profile', 0, 'Complete your profile', 'Add your name and company details.', 15, true,
         '{}'::text[], '{}'::text[], '{}'::text[]),
        ('create_first_project', 1, 'Create your first project', 'Set up the first thing your team will work on.',
         20, true, '{}', '{}', '{}'),
        ('connect_payments', 2, 'Connect a payment method', 'Needed before you can publish or take payments.',
         30, true, '{}', '{}', '{publish,checkout}'),
        ('invite_teammate', 3, 'Invite a teammate', 'Work together: invite someone to your organization.',
         15, false, '{}', '{owner,admin}', '{}'),
        ('enable_2fa', 4, 'Turn on two-step sign-in', 'Protect your account with an authenticator app.',
         10, false, '{}', '{}', '{}'),
        ('add_vat_number', 5, 'Add your VAT number', 'Shown on your invoices in the European Union.', 10, false,
         '{AT,BE,BG,CY,CZ,DE,DK,EE,ES,FI,FR,GR,HR,HU,IE,IT,LT,LU,LV,MT,NL,PL,PT,RO,SE,SI,SK}', '{}', '{}')
     ) as s(key, position, title, description, weight, required, markets, roles, gates)
where v.state = 'active';
