-- Raw readings are deleted only where their rollups are final. Per point: the readings before
-- `purged_before` are gone but for the newest of them, `anchor_ts` (the step or hold into what is
-- left starts there). Rollup buckets that start before `purged_before` are final and never
-- recomputed; ingest refuses readings older than it (older-than-retention), and the refresher
-- ignores any that got in anyway.
create table raw_retention (
  point_id int primary key references points (id) on delete cascade,
  purged_before timestamptz not null,
  anchor_ts timestamptz not null
);
