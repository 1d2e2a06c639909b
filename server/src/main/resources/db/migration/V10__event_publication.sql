-- Spring Modulith's event publication registry: one row per (event, @ApplicationModuleListener) pair,
-- written in the publishing transaction, so a cross-module reaction survives a crash or a failing
-- listener and is delivered again (after a restart, or by the retry in platform's FailedEventRetry).
-- Spring Modulith 2.1's own schema, copied verbatim from spring-modulith-events-jdbc-2.1.1.jar
-- (org/springframework/modulith/events/jdbc/schemas/v2/schema-postgresql.sql), because Flyway owns the
-- schema (spring.modulith.events.jdbc.schema-initialization.enabled is false). Modulith owns the rows:
-- do not write to them except through its API. Completed publications are deleted
-- (spring.modulith.events.completion-mode: delete, see application.yml), so the table holds only
-- outstanding work and needs no archive table and no purge.
create table event_publication (
    id                     uuid        not null,
    listener_id            text        not null,
    event_type             text        not null,
    serialized_event       text        not null,
    publication_date       timestamptz not null,
    completion_date        timestamptz,
    -- PUBLISHED, PROCESSING, COMPLETED, FAILED or RESUBMITTED (Modulith's EventPublication.Status)
    status                 text,
    completion_attempts    int,
    last_resubmission_date timestamptz,
    primary key (id)
);
-- Completion looks a publication up by (listener_id, serialized_event).
create index event_publication_serialized_event_hash_idx on event_publication using hash (serialized_event);
create index event_publication_by_completion_date_idx on event_publication (completion_date);
