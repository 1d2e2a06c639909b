-- Jobs: db-scheduler's execution table and our own job history.

-- db-scheduler's official PostgreSQL schema for 16.x (db-scheduler/src/test/resources/postgresql_tables.sql).
-- One row per pending execution; db-scheduler owns it: do not write to it except through its API.
create table scheduled_tasks (
    task_name            text                     not null,
    task_instance        text                     not null,
    task_data            bytea,
    execution_time       timestamp with time zone not null,
    picked               boolean                  not null,
    picked_by            text,
    last_success         timestamp with time zone,
    last_failure         timestamp with time zone,
    consecutive_failures int,
    last_heartbeat       timestamp with time zone,
    version              bigint                   not null,
    priority             smallint,
    primary key (task_name, task_instance)
);
create index execution_time_idx on scheduled_tasks (execution_time);
create index last_heartbeat_idx on scheduled_tasks (last_heartbeat);
create index priority_execution_time_idx on scheduled_tasks (priority desc, execution_time asc);

-- One row per job, kept after it finishes: what ran, how often, why it failed, who may see it.
-- id is also the task_instance of its 'gatehouse-job' execution while one is pending.
create table job_runs (
    id              uuid primary key,
    type            text        not null check (length(type) between 1 and 100),
    payload         jsonb       not null,
    state           text        not null check (state in ('queued', 'running', 'succeeded', 'failed', 'dead')),
    attempts        int         not null default 0 check (attempts >= 0),
    max_attempts    int         not null check (max_attempts >= 1),
    last_error      text,
    request_id      text,
    -- No foreign key: jobs sit below identity, and a job's record outlives a deleted user's row.
    owner_user_id   uuid,
    created_at      timestamptz not null,
    updated_at      timestamptz not null,
    next_attempt_at timestamptz
);
-- The admin list: newest first, optionally by state, keyset-paginated on (created_at, id).
create index job_runs_created_idx on job_runs (created_at desc, id desc);
create index job_runs_state_created_idx on job_runs (state, created_at desc, id desc);
-- Gauges count unfinished jobs often; succeeded ones (the bulk) stay out of this index.
create index job_runs_unfinished_idx on job_runs (state) where state <> 'succeeded';
-- The daily purge of old succeeded records.
create index job_runs_succeeded_idx on job_runs (updated_at) where state = 'succeeded';
