-- Preloads :rows rotated refresh tokens into the real schema, as the history of live families: one
-- user (who cannot sign in: its password hash is not a hash), :rows / :per_family sessions, each with
-- :per_family rotated tokens chained by successor_id and one active token at the end, a rotation every
-- 10 minutes. Rows go in in the order a server would have written them (all families' first tokens,
-- then all second ones, ...), so the heap is in issue order, as in production. Live families are the
-- worst case for the table's size: the purge keeps their rotated tokens (reuse detection), so these
-- rows stay for the whole benchmark. Usage: psql -v rows=1000000 -v per_family=100 -f this-file
\set ON_ERROR_STOP on
begin;
-- Token n of family f: its hash and id are functions of (f, n), so a token's successor is known without a
-- join. Hashes are SHA-256 (32 bytes, in random order like real ones); ids are time-ordered UUIDs (version
-- 7, the timestamp being the issue time) like the server's; the sealed successor has the real size (75 bytes).
create function pg_temp.preload_id(f int, n int, issued timestamptz) returns uuid language sql immutable as $$
    select (lpad(to_hex(floor(extract(epoch from issued) * 1000)::bigint), 12, '0') || '7'
            || substr(md5(f || '/' || n), 1, 3) || '8' || substr(md5(f || '/' || n), 4, 15))::uuid
$$;
create function pg_temp.preload_issued(n int) returns timestamptz language sql stable as $$
    select now() - interval '2 days' + n * interval '10 minutes'
$$;

insert into users (id, email, email_verified_at, password_hash, name, created_at, updated_at)
values ('00000000-0000-4000-8000-00000000b10a', 'preload@bench.local', now(), 'not-a-hash', 'Preload', now(), now());

create temp table preload_families on commit drop as
select gen_random_uuid() as id, f from generate_series(1, (:rows / :per_family)) f;

insert into sessions (id, user_id, user_agent, ip, created_at, last_seen_at, expires_at)
select id, '00000000-0000-4000-8000-00000000b10a', 'preload', '127.0.0.1', now() - interval '2 days', now(),
       now() + interval '88 days'
from preload_families;

insert into refresh_tokens (id, session_id, token_hash, state, issued_at, expires_at, rotated_at, successor_id, successor_sealed)
select pg_temp.preload_id(fam.f, n, pg_temp.preload_issued(n)), fam.id, sha256(convert_to(fam.f || '/' || n, 'UTF8')),
       case when last then 'active' else 'rotated' end,
       pg_temp.preload_issued(n),
       pg_temp.preload_issued(n) + interval '30 days',
       case when last then null else pg_temp.preload_issued(n + 1) end,
       case when last then null else pg_temp.preload_id(fam.f, n + 1, pg_temp.preload_issued(n + 1)) end,
       case when last then null
            else substr(sha512(convert_to(fam.f || '#' || n, 'UTF8')) || sha256(convert_to(fam.f || '#' || n, 'UTF8')), 1, 75) end
from generate_series(1, :per_family + 1) n
cross join lateral (select n = :per_family + 1 as last) l
cross join preload_families fam
order by n, fam.f;
commit;
analyze users;
analyze sessions;
analyze refresh_tokens;
