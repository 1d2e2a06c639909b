-- Identity: users, one-time tokens (email verification, password reset), sessions with their
-- rotating refresh-token families, and the JWT signing keys.

create table users (
    id                uuid primary key,
    email             text        not null check (email = lower(email) and length(email) between 3 and 254),
    email_verified_at timestamptz,
    password_hash     text        not null,
    name              text        not null check (length(name) between 1 and 200),
    locale            text        not null default 'en',
    roles             text[]      not null default '{user}'
                      check (roles <@ array['user', 'support', 'admin', 'superadmin']::text[] and cardinality(roles) > 0),
    status            text        not null default 'active' check (status in ('active', 'suspended')),
    created_at        timestamptz not null,
    updated_at        timestamptz not null
);
create unique index users_email_uq on users (email);

-- Single-use tokens sent by email; only their SHA-256 is stored.
create table one_time_tokens (
    token_hash bytea primary key,
    purpose    text        not null check (purpose in ('verify_email', 'password_reset')),
    user_id    uuid        not null references users (id) on delete cascade,
    created_at timestamptz not null,
    expires_at timestamptz not null,
    used_at    timestamptz
);
create index one_time_tokens_user_idx on one_time_tokens (user_id, purpose);

-- A session is one sign-in on one device; it is also the refresh-token family (RFC 9700 §4.14.2).
create table sessions (
    id            uuid primary key,
    user_id       uuid        not null references users (id) on delete cascade,
    user_agent    text,
    ip            text,
    created_at    timestamptz not null,
    last_seen_at  timestamptz not null,
    expires_at    timestamptz not null,
    revoked_at    timestamptz,
    revoke_reason text
);
create index sessions_user_idx on sessions (user_id) where revoked_at is null;

-- Every refresh token ever issued in a family. Only one is 'active' per family; a rotated token
-- keeps its successor sealed with a key derived from the rotated token itself, so a concurrent
-- refresh inside the grace window gets the same successor and no second token lives.
create table refresh_tokens (
    id               uuid primary key,
    session_id       uuid        not null references sessions (id) on delete cascade,
    token_hash       bytea       not null unique,
    state            text        not null check (state in ('active', 'rotated', 'revoked')),
    issued_at        timestamptz not null,
    expires_at       timestamptz not null,
    rotated_at       timestamptz,
    successor_id     uuid references refresh_tokens (id) deferrable initially deferred,
    successor_sealed bytea,
    check ((state = 'rotated') = (rotated_at is not null))
);
create unique index refresh_tokens_one_active_per_family on refresh_tokens (session_id) where state = 'active';

-- JWT signing keys (ES256). Private keys are sealed (AES-256-GCM) with the master key.
create table signing_keys (
    kid          text primary key,
    algorithm    text        not null,
    public_jwk   text        not null,
    private_key  bytea       not null,
    created_at   timestamptz not null,
    activates_at timestamptz not null
);
