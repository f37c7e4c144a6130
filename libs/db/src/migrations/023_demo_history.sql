-- The demo's history (simulators/src/demo-start.ts): one row per demo site, written on its first
-- start, so that a history is loaded once and never twice; progress for the log and the dashboard.
create table demo_history (
  site text primary key,
  started_at timestamptz not null default now(),
  from_ts timestamptz not null,
  to_ts timestamptz not null,
  readings bigint not null default 0,
  loaded bigint not null default 0,
  readings_per_second double precision,
  finished_at timestamptz
);
