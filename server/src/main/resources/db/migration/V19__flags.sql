-- Feature flags (the flags module). Each flag is stored in the snapshot form of the client's SnapshotJson
-- (definition), the form the evaluation engine and the snapshot route read; kind and enabled are columns too,
-- for listing and for the checks below. Every change adds a row to flag_versions: the full definition as it
-- became, so any past version can be read back. No foreign keys to other modules.

create table flags (
    key         text primary key,
    kind        text        not null check (kind in ('boolean', 'variant')),
    enabled     boolean     not null,
    definition  jsonb       not null,
    version     bigint      not null check (version > 0),
    created_at  timestamptz not null,
    created_by  uuid,
    updated_at  timestamptz not null,
    updated_by  uuid,
    check (definition ->> 'key' = key)
);

create table flag_versions (
    key         text        not null,
    version     bigint      not null check (version > 0),
    change      text        not null check (change in ('created', 'updated', 'imported', 'deleted')),
    definition  jsonb       not null,
    changed_at  timestamptz not null,
    changed_by  uuid,
    primary key (key, version)
);

-- Reusable constraint lists that strategies name.
create table flag_segments (
    name        text primary key,
    definition  jsonb       not null,
    version     bigint      not null check (version > 0),
    updated_at  timestamptz not null,
    updated_by  uuid,
    check (definition ->> 'name' = name)
);

-- Kill switches: a flag's key turns that flag off for everyone, 'global' turns every flag off. Rows stay when
-- switched off (active = false), so the last change and who made it remain visible.
create table kill_switches (
    name        text primary key,
    active      boolean     not null,
    changed_at  timestamptz not null,
    changed_by  uuid
);
