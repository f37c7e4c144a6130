-- Dead letters are bounded (a flood of garbage grew the database by 131 MB in 20 s): repeats of a
-- source, reason and topic within a window share one row with a count; bodies are kept up to a size
-- (the full size and SHA-256 are kept); rows per source and reason are capped, the rest only
-- counted; rows expire by age (the worker's housekeeping).
alter table dead_letters
  add column count bigint not null default 1,
  add column last_received_at timestamptz,
  add column window_start timestamptz,
  add column payload_bytes integer,
  add column payload_sha256 text,
  add column payload_truncated boolean not null default false;
update dead_letters set last_received_at = received_at, window_start = received_at, payload_bytes = octet_length(payload);
alter table dead_letters
  alter column last_received_at set not null,
  alter column window_start set not null,
  alter column payload_bytes set not null;
create index dead_letters_repeat on dead_letters (source, reason, window_start) where replayed_at is null;
create index dead_letters_source_reason on dead_letters (source, reason);
create index dead_letters_last_received_at on dead_letters (last_received_at);
create index dead_letters_listing on dead_letters (received_at desc, id desc);

-- Per source and reason: rejections not kept as a row because the cap was reached. Its row is also
-- the lock that keeps concurrent ingest instances within the cap.
create table dead_letter_overflow (
  source text not null,
  reason text not null,
  count bigint not null default 0,
  last_at timestamptz,
  primary key (source, reason)
);

-- Replays requested through the API and carried out by ingest through its own pipeline (not the
-- broker, whose ACL does not let ingest publish telemetry). A letter is marked replayed in the
-- transaction that stores its readings.
create table dead_letter_replays (
  id bigserial primary key,
  dead_letter_id bigint not null references dead_letters (id) on delete cascade,
  requested_at timestamptz not null default now(),
  claimed_at timestamptz,
  finished_at timestamptz,
  -- 'stored' or 'rejected' (the reasons in detail)
  outcome text check (outcome in ('stored', 'rejected')),
  detail text
);
create unique index dead_letter_replays_open on dead_letter_replays (dead_letter_id) where finished_at is null;
