-- Audit: an append-only, hash-chained log of security events and admin actions.
--
-- Each row's hash is SHA-256 over the canonical JSON of its content and the previous row's hash
-- (docs/concepts.md#audit-log), so changing, removing or inserting a row breaks the chain at that row.
-- Rows are only ever inserted: the trigger below refuses UPDATE, DELETE and TRUNCATE for everyone,
-- the table owner included (an owner can still drop the trigger; only privileges stop that).
create table audit_events (
    -- Position in the chain: 1, 2, 3, ... without gaps (appends are serialized on audit_chain_head).
    seq             bigint      primary key check (seq >= 1),
    id              uuid        not null unique,
    -- Microsecond precision, as timestamptz keeps it: the hash covers exactly what is stored.
    occurred_at     timestamptz not null,
    -- No foreign keys: the audit trail outlives the users and objects it names.
    actor_id        uuid,
    impersonator_id uuid,
    action          text        not null,
    target_type     text,
    target_id       text,
    ip              text,
    user_agent      text,
    request_id      text,
    details         jsonb       not null check (jsonb_typeof(details) = 'object'),
    prev_hash       bytea       not null check (octet_length(prev_hash) = 32),
    hash            bytea       not null check (octet_length(hash) = 32)
);

-- The admin search: newest first (seq desc) within one filter, keyset-paginated on seq.
create index audit_events_actor_idx on audit_events (actor_id, seq) where actor_id is not null;
create index audit_events_action_idx on audit_events (action, seq);
create index audit_events_target_idx on audit_events (target_type, target_id, seq) where target_type is not null;
create index audit_events_occurred_at_idx on audit_events (occurred_at);

create function audit_events_refuse_change() returns trigger language plpgsql as $$
begin
    raise exception 'audit_events is append-only: % is not allowed', tg_op
        using errcode = 'restrict_violation';
end
$$;

-- Statement-level, so even an UPDATE or DELETE that matches no row is refused.
create trigger audit_events_append_only
    before update or delete or truncate on audit_events
    for each statement execute function audit_events_refuse_change();

-- The end of the chain: one row holding the last appended seq and hash. Every append locks it
-- (SELECT ... FOR UPDATE) in the writer's transaction, which serializes appends across all nodes and
-- keeps the chain linear; the lock is released when that transaction commits or rolls back, so a
-- rolled-back append leaves neither a row nor a gap. It also lets verify notice rows removed from,
-- or added to, the end of the chain, which walking the rows alone cannot.
create table audit_chain_head (
    singleton boolean primary key default true check (singleton),
    seq       bigint  not null check (seq >= 0),
    hash      bytea   not null check (octet_length(hash) = 32)
);
-- The empty chain: the first row chains to 32 zero bytes.
insert into audit_chain_head (seq, hash) values (0, '\x0000000000000000000000000000000000000000000000000000000000000000');

create function audit_chain_head_guard() returns trigger language plpgsql as $$
begin
    if tg_op = 'UPDATE' then
        if new.seq > old.seq then
            return new;
        end if;
    end if;
    raise exception 'audit_chain_head only moves forward: % is not allowed', tg_op
        using errcode = 'restrict_violation';
end
$$;

create trigger audit_chain_head_forward_only
    before update or delete on audit_chain_head
    for each row execute function audit_chain_head_guard();

create trigger audit_chain_head_no_truncate
    before truncate on audit_chain_head
    for each statement execute function audit_chain_head_guard();
