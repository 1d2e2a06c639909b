-- API keys: organizations' API keys (gh_pk_...) and the product backend's service keys (gh_sk_...).
-- Only the SHA-256 of a secret is stored; the secret itself is shown once, when it is made. Org and
-- user ids are plain columns, not foreign keys into other modules' tables (see docs/architecture.md).

create table api_keys (
    id                   uuid primary key,
    kind                 text        not null check (kind in ('org', 'service')),
    -- The owning organization of an org key; service keys belong to the platform.
    org_id               uuid,
    name                 text        not null check (length(name) between 1 and 100),
    -- The first characters of the secret (gh_pk_ + 6), shown in lists so people can tell keys apart.
    prefix               text        not null check (length(prefix) = 12),
    secret_hash          bytea       not null check (length(secret_hash) = 32),
    -- A rotated service key's previous secret, accepted until previous_valid_until (the overlap).
    previous_hash        bytea       check (length(previous_hash) = 32),
    previous_valid_until timestamptz,
    scopes               text[]      not null default '{}',
    expires_at           timestamptz,
    created_by           uuid        not null,
    created_at           timestamptz not null,
    -- Written in batches every few seconds by each node, never once per request.
    last_used_at         timestamptz,
    revoked_at           timestamptz,
    revoked_by           uuid,
    -- The change feed every node polls to evict keys from its cache (database time, see the trigger).
    changed_at           timestamptz not null default clock_timestamp(),
    check ((kind = 'org') = (org_id is not null)),
    check ((previous_hash is null) = (previous_valid_until is null)),
    check (previous_hash is null or kind = 'service'),
    check ((revoked_at is null) = (revoked_by is null)),
    check (cardinality(scopes) <= 20)
);
create unique index api_keys_secret_hash_idx on api_keys (secret_hash);
create unique index api_keys_previous_hash_idx on api_keys (previous_hash) where previous_hash is not null;
create index api_keys_org_page_idx on api_keys (org_id, created_at desc, id desc) where kind = 'org';
create index api_keys_service_page_idx on api_keys (created_at desc, id desc) where kind = 'service';
create index api_keys_changed_at_idx on api_keys (changed_at);

-- Every change that can alter a verification (revocation, rotation, expiry, scopes, name) moves
-- changed_at to the database's clock, so no writer can forget it and all nodes compare one clock.
-- last_used_at alone does not: it is written constantly and no cache needs to hear about it.
create function api_keys_touch() returns trigger language plpgsql as $$
begin
    if (new.kind, new.org_id, new.name, new.secret_hash, new.previous_hash, new.previous_valid_until,
        new.scopes, new.expires_at, new.revoked_at)
       is distinct from
       (old.kind, old.org_id, old.name, old.secret_hash, old.previous_hash, old.previous_valid_until,
        old.scopes, old.expires_at, old.revoked_at) then
        new.changed_at := clock_timestamp();
    else
        new.changed_at := old.changed_at;
    end if;
    return new;
end
$$;
create trigger api_keys_touch before update on api_keys for each row execute function api_keys_touch();
