-- The plan catalog (catalog module): every distinct plans.yml that was ever loaded, as text with its SHA-256,
-- so versions can be shown and diffed. The active catalog is the highest version; rows are never changed.
create table catalog_versions (
    id        uuid        primary key,
    version   integer     not null unique check (version > 0),
    hash      text        not null check (hash ~ '^[0-9a-f]{64}$'),
    source    text        not null,
    file      text        not null check (length(file) between 1 and 1000),
    -- CatalogVersions.Cause: read at a node's start, or by POST /api/v1/admin/catalog/reload.
    cause     text        not null constraint catalog_versions_cause_check check (cause in ('startup', 'reload')),
    loaded_at timestamptz not null,
    -- The admin who reloaded it (a user id; no foreign key across modules); null for a load at start.
    loaded_by uuid,
    check ((cause = 'reload') = (loaded_by is not null))
);

create index catalog_versions_loaded on catalog_versions (loaded_at, id);
