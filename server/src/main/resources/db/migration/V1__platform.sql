-- Platform: stored outcomes of POST requests sent with an Idempotency-Key (Stripe semantics).
-- One row per (caller scope, key). A row is claimed 'in_progress' and committed before the handler
-- runs, so a concurrent duplicate sees it; it becomes 'completed' with the response to replay, or is
-- deleted when the outcome must not be replayed (5xx, transient refusals). Rows past expires_at are
-- treated as absent and purged on a timer.
create table idempotency_keys (
    scope                 text        not null,
    key                   text        not null,
    -- SHA-256 of method, path, query and body: the same key with other parameters is refused (422).
    fingerprint           bytea       not null,
    -- Random id of the request that holds the claim; only that request may complete or release it.
    claim_id              uuid        not null,
    state                 text        not null,
    response_status       integer,
    response_content_type text,
    response_location     text,
    response_body         bytea,
    created_at            timestamptz not null,
    expires_at            timestamptz not null,
    primary key (scope, key),
    constraint idempotency_keys_key_length check (char_length(key) between 1 and 255),
    constraint idempotency_keys_fingerprint_length check (octet_length(fingerprint) = 32),
    constraint idempotency_keys_state check (state in ('in_progress', 'completed')),
    constraint idempotency_keys_completed_has_response check (
        (state = 'in_progress' and response_status is null and response_body is null)
        or (state = 'completed' and response_status between 100 and 599 and response_body is not null)),
    constraint idempotency_keys_expiry_after_creation check (expires_at > created_at)
);

-- The purge deletes by expiry; keep it an index range scan however large the table grows.
create index idempotency_keys_expires_at on idempotency_keys (expires_at);
