-- Housekeeping for sign-in data (RefreshTokenPurge), and the write cost of a refresh as the tables grow.
-- The figures behind each change are in bench/README.md ("Refresh as the tables grow").

-- A family's tokens by session. The purge deletes an ended family's rotated tokens through it, and deleting
-- a session (the purge after the retention, or a deleted user) cascades to its tokens through it: without
-- it, every deleted session cost a sequential scan of the whole table.
create index refresh_tokens_session_idx on refresh_tokens (session_id);

-- successor_id points at the next token of the same family. Only the grace-window path follows it, under
-- the presented token's row lock, and a successor that is not there (or no longer active) is answered
-- as a reuse, never by issuing anything; nothing relies on the row existing. Kept as a foreign key, every
-- purged token would need a lookup of the rows referencing it: a sequential scan per deleted token, or an
-- index on successor_id written by every refresh. The purge deletes a family's rotated tokens together.
alter table refresh_tokens drop constraint refresh_tokens_successor_id_fkey;

-- When the purge removed this ended session's rotated tokens; null while the session lives or before the
-- purge reached it. The two partial indexes find ended sessions by when they ended (revoked, or their
-- absolute lifetime reached): those the purge has yet to reach, and those whose retention it counts down.
-- Neither covers a column a refresh updates (last_seen_at, ip), so the session's update per refresh
-- stays a heap-only (HOT) update.
alter table sessions add column tokens_purged_at timestamptz;
create index sessions_ended_unpurged_idx on sessions (least(revoked_at, expires_at)) where tokens_purged_at is null;
create index sessions_ended_purged_idx on sessions (least(revoked_at, expires_at)) where tokens_purged_at is not null;

-- Every refresh updates its session (last_seen_at, ip). A HOT update needs room on the row's own page; on
-- full pages (fillfactor 100) 4-5 % of them were not HOT and wrote an entry into every index of sessions
-- (measured: 478 of 500 HOT at 100, 500 of 500 at 90). New pages keep a tenth free.
alter table sessions set (fillfactor = 90);

-- Every refresh leaves a dead row version in refresh_tokens with entries in its indexes (the rotated token's
-- update cannot be HOT: state is in the predicate of refresh_tokens_one_active_per_family), and the purge
-- deletes in bulk. The
-- default trigger (20 % of the table dead) lets a table of 100 million rows carry 20 million dead versions,
-- and their index entries, before a vacuum; 2 % keeps the table near its live size. Likewise for sessions,
-- updated on every refresh.
alter table refresh_tokens set (autovacuum_vacuum_scale_factor = 0.02, autovacuum_analyze_scale_factor = 0.02);
alter table sessions set (autovacuum_vacuum_scale_factor = 0.05, autovacuum_analyze_scale_factor = 0.05);
