-- A register's expected interval between readings, learned from its own cadence when the registry
-- does not set `expectedIntervalSeconds` (docs/rollups.md, "Gaps"). A step longer than twice the
-- expected interval is an estimate. The learner sets this column and logs an invalidation of the
-- point's whole history in the same transaction, so the rollups stay a function of the readings
-- and of this one recorded number, like register replacements.
alter table points add column learned_interval_seconds double precision;
