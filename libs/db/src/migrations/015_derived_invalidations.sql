-- Derived points are computed from the stored readings of their inputs (apps/ingest/src/derived).
-- Writers log the spans of the readings they stored here too, in the same transaction as the
-- readings, exactly as in rollup_invalidations; the derived pass claims (deletes) them, one pass at
-- a time under the rollup lock, recomputes the derived readings those spans may change and logs
-- its own changes into rollup_invalidations. A log of its own, because the rollup refresher
-- consumes rollup_invalidations: a span it took first would never reach the derived pass.
create table derived_invalidations (
  id bigserial primary key,
  point_id int not null,
  from_ts timestamptz not null,
  to_ts timestamptz not null,
  created_at timestamptz not null default now()
);
