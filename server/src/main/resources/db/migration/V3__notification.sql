-- Notification: the transactional email outbox.

-- One row per email, rendered when it was sent by the application (so a template change never alters a
-- queued message) and delivered by an 'email.deliver' job; retries and dead letters come from the jobs.
create table emails (
    id            uuid primary key,
    to_address    text        not null check (length(to_address) between 3 and 320),
    template      text        not null,
    language      text        not null,
    subject       text        not null,
    text_body     text        not null,
    html_body     text        not null,
    status        text        not null check (status in ('queued', 'sent', 'failed', 'dead')),
    attempts      int         not null default 0 check (attempts >= 0),
    last_error    text,
    -- The delivery job in job_runs; no foreign key, since old job records are purged.
    job_id        uuid,
    delivered_via text check (delivered_via in ('smtp', 'captured')),
    created_at    timestamptz not null,
    updated_at    timestamptz not null,
    sent_at       timestamptz,
    check ((status = 'sent') = (sent_at is not null and delivered_via is not null))
);
-- The admin's captured-mail search: one recipient, newest first.
create index emails_to_created_idx on emails (lower(to_address), created_at desc);
-- The purge of old sent mail.
create index emails_sent_idx on emails (sent_at) where status = 'sent';

-- Mail "delivered" without SMTP (no spring.mail.host): what a developer would have received.
create view captured_mail as
select id, to_address, subject, text_body, html_body, created_at, sent_at
from emails
where delivered_via = 'captured';
