-- Identity, second part: TOTP two-factor sign-in (RFC 6238), recovery codes, the short-lived MFA
-- challenges a password login hands out, step-up proofs on sessions, and email change links.

-- When two-factor sign-in was turned on (or last re-enrolled); null while it is off.
alter table users add column mfa_enabled_at timestamptz;

-- One TOTP factor per user. Secrets are sealed (AES-256-GCM) with the master key, never stored in
-- clear. secret_sealed is the confirmed secret (null until the first confirmation); pending_sealed is
-- the secret the last enrollment start handed out, waiting for a code that proves the app has it; a
-- re-enrollment keeps the confirmed secret working until then. last_used_step is the replay guard:
-- a code is accepted only for a time step strictly after it, in one conditional update.
create table totp_factors (
    user_id        uuid primary key references users (id) on delete cascade,
    secret_sealed  bytea,
    pending_sealed bytea,
    pending_at     timestamptz,
    last_used_step bigint      not null default 0,
    updated_at     timestamptz not null,
    check ((pending_sealed is null) = (pending_at is null))
);

-- Single-use recovery codes; only SHA-256(user id, code) is stored (see RecoveryCodes for why that
-- suffices). A regeneration deletes the old set.
create table recovery_codes (
    user_id    uuid        not null references users (id) on delete cascade,
    code_hash  bytea       not null,
    created_at timestamptz not null,
    used_at    timestamptz,
    primary key (user_id, code_hash)
);

-- The mfa_token of a password login that still needs its second factor: stored as SHA-256, single
-- use, short-lived, a bounded number of wrong codes, and bound to the password hash that was checked
-- (a digest of it), so a password change or reset in between makes it worthless.
create table mfa_challenges (
    token_hash      bytea primary key,
    user_id         uuid        not null references users (id) on delete cascade,
    password_digest bytea       not null,
    created_at      timestamptz not null,
    expires_at      timestamptz not null,
    failed_attempts int         not null default 0,
    spent_at        timestamptz
);
create index mfa_challenges_user_idx on mfa_challenges (user_id);
create index mfa_challenges_expiry_idx on mfa_challenges (expires_at);

-- Step-up: when the session last proved its user. Null means "at sign-in" (created_at): sessions are
-- only opened by a password or MFA sign-in. step_up_failures counts wrong proofs since the last good
-- one; too many end the session (a stolen access token must not be able to guess codes).
alter table sessions add column authenticated_at timestamptz;
alter table sessions add column step_up_failures int not null default 0;

-- Email change: a link to the new address carries it; the change applies only when the link is used.
alter table one_time_tokens add column new_email text;
alter table one_time_tokens drop constraint one_time_tokens_purpose_check;
alter table one_time_tokens add constraint one_time_tokens_purpose_check
    check (purpose in ('verify_email', 'password_reset', 'change_email'));
alter table one_time_tokens add constraint one_time_tokens_new_email_check
    check ((purpose = 'change_email') = (new_email is not null));
