-- Organizations: the billing subject. Members with org roles, and email invitations.
-- User ids are plain columns, not foreign keys into identity's users table: no foreign keys
-- across modules (see docs/architecture.md).

create table organizations (
    id         uuid primary key,
    name       text        not null check (length(name) between 1 and 200),
    -- The organization every user gets at registration; it lives and dies with the account.
    personal   boolean     not null default false,
    created_by uuid        not null,
    created_at timestamptz not null,
    updated_at timestamptz not null,
    -- Soft delete: a deleted organization is gone from every route, its rows are kept for audit.
    deleted_at timestamptz
);
create unique index organizations_one_personal_per_user on organizations (created_by) where personal;

create table org_members (
    org_id     uuid        not null references organizations (id) on delete cascade,
    user_id    uuid        not null,
    role       text        not null check (role in ('owner', 'admin', 'billing', 'member')),
    created_at timestamptz not null,
    updated_at timestamptz not null,
    primary key (org_id, user_id)
);
create index org_members_user_idx on org_members (user_id, created_at, org_id);
create index org_members_page_idx on org_members (org_id, created_at, user_id);

-- Invitations by email. Only the SHA-256 of the emailed token is stored. An invitation is open
-- until it is accepted or revoked (an expired one stays open, and is replaced by a new invitation
-- to the same address), so at most one is open per organization and address.
create table org_invitations (
    id          uuid primary key,
    org_id      uuid        not null references organizations (id) on delete cascade,
    email       text        not null check (email = lower(email) and length(email) between 3 and 254),
    role        text        not null check (role in ('owner', 'admin', 'billing', 'member')),
    token_hash  bytea       not null unique,
    invited_by  uuid        not null,
    created_at  timestamptz not null,
    expires_at  timestamptz not null,
    accepted_at timestamptz,
    accepted_by uuid,
    revoked_at  timestamptz,
    revoked_by  uuid,
    check ((accepted_at is null) = (accepted_by is null)),
    check ((revoked_at is null) = (revoked_by is null)),
    check (accepted_at is null or revoked_at is null)
);
create unique index org_invitations_one_open on org_invitations (org_id, email)
    where accepted_at is null and revoked_at is null;
create index org_invitations_page_idx on org_invitations (org_id, created_at, id)
    where accepted_at is null and revoked_at is null;

-- An active organization always keeps at least one owner. The application checks it under a lock
-- on the organization row; this trigger is the backstop for every other path (a bug, a concurrent
-- writer, a hand-written SQL fix). It is a deferred constraint trigger, so a transaction may pass
-- through zero owners (demote one owner, then promote another) as long as it does not commit so.
--
-- The check locks the organization row first. Without the lock, two transactions that each remove
-- a different one of two owners would both see the other owner still there (neither has committed)
-- and both commit. With it, the second waits for the first to commit, then re-reads (READ
-- COMMITTED takes a new snapshot per statement) and sees that no owner is left.
create function org_keeps_an_owner(org uuid) returns void language plpgsql as $$
begin
    perform 1 from organizations where id = org and deleted_at is null for update;
    if found and not exists (select 1 from org_members where org_id = org and role = 'owner') then
        -- The constraint's name leads the message too: drivers show the message everywhere.
        raise exception 'org_keeps_an_owner: organization % would be left without an owner', org
            using errcode = 'check_violation', constraint = 'org_keeps_an_owner';
    end if;
end $$;

create function org_members_keep_an_owner() returns trigger language plpgsql as $$
begin
    -- Only a change that takes the owner role away can leave an organization without one.
    if old.role = 'owner' and (tg_op = 'DELETE' or new.role <> 'owner' or new.org_id <> old.org_id) then
        perform org_keeps_an_owner(old.org_id);
    end if;
    return null;
end $$;

create constraint trigger org_members_keep_an_owner
    after update or delete on org_members
    deferrable initially deferred
    for each row execute function org_members_keep_an_owner();

-- An organization created (or restored) without an owner is refused the same way.
create function organizations_have_an_owner() returns trigger language plpgsql as $$
begin
    if new.deleted_at is null then
        perform org_keeps_an_owner(new.id);
    end if;
    return null;
end $$;

create constraint trigger organizations_have_an_owner
    after insert or update of deleted_at on organizations
    deferrable initially deferred
    for each row execute function organizations_have_an_owner();

-- Users who registered before organizations existed get their personal organization now, like
-- every new user does at registration. Reading identity's table once, here, is the one exception
-- to "each module reads its own tables": the alternative is a start-up job that does the same.
insert into organizations (id, name, personal, created_by, created_at, updated_at)
select gen_random_uuid(), u.name, true, u.id, u.created_at, u.created_at from users u;

insert into org_members (org_id, user_id, role, created_at, updated_at)
select o.id, o.created_by, 'owner', o.created_at, o.created_at from organizations o where o.personal;
