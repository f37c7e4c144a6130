-- The transactional outbox: jobs written in the same transaction as the change that calls for them
-- (an alert opened, notifications created, a report requested), relayed to BullMQ by the worker.
-- job_key is the BullMQ job id and the durable idempotency key: the same job cannot be written
-- twice while its row is kept (relayed rows are kept a week, then purged).
create table job_outbox (
  id bigserial primary key,
  job_key text not null unique,
  name text not null,
  data jsonb not null,
  -- not enqueued (as a delayed job) to run before this
  run_at timestamptz not null default now(),
  created_at timestamptz not null default now(),
  relayed_at timestamptz
);
create index job_outbox_unrelayed on job_outbox (id) where relayed_at is null;
create index job_outbox_relayed on job_outbox (relayed_at) where relayed_at is not null;

-- One notification per alert, occasion and contact: a job run twice (a retry, a re-sent job, a
-- job Redis has forgotten) finds its notifications made already and sends nothing new.
alter table notifications add column dedupe_key text;
create unique index notifications_dedupe on notifications (dedupe_key);
