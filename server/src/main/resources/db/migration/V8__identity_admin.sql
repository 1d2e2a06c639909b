-- Identity administration: impersonation sessions and brute-force counters.

-- An impersonation token lives in a session of its own, marked with the admin behind it: the user sees
-- it in their session list, and it can be revoked like any other.
alter table sessions add column impersonator_id uuid references users (id) on delete set null;

-- Failure counters for brute-force protection, one row per subject ("login:account:<email>",
-- "login:ip:<address>", "register:ip:<address>"). A subject that reaches its limit inside its window
-- is locked until the window ends, or longer for repeat offenders (doubling per lockout).
create table auth_throttle (
    key               text        primary key,
    failures          integer     not null check (failures >= 0),
    window_started_at timestamptz not null,
    locked_until      timestamptz,
    lockouts          integer     not null default 0 check (lockouts >= 0),
    updated_at        timestamptz not null
);
create index auth_throttle_updated_idx on auth_throttle (updated_at);
