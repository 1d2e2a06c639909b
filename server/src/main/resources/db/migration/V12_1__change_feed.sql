-- The generic change feed (platform/ChangeFeed): one append-only row per published change, read by every
-- node's poller to invalidate its caches. Version 12.1 so that it sorts before the modules' migrations that
-- were numbered before it landed.
create table change_feed (
    id         bigint generated always as identity primary key,
    topic      text        not null check (length(topic) between 1 and 64),
    subject    text        not null check (length(subject) between 1 and 200),
    -- The database's clock (transaction start), never a node's: the pollers compare it with their own
    -- now() reads, so clock skew between nodes cannot hide a change.
    changed_at timestamptz not null default now()
);

create index change_feed_changed_at on change_feed (changed_at);
