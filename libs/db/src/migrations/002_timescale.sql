-- requires: timescaledb
-- Hypertables partition by time; compressed chunks segment by point so a point's history stays
-- contiguous. Policies run in TimescaleDB's background jobs (the embedded build records them; a
-- server runs them).
select create_hypertable('readings', by_range('ts', interval '7 days'), migrate_data => true);
select create_hypertable('rollups_15m', by_range('bucket', interval '30 days'), migrate_data => true);
select create_hypertable('rollups_1h', by_range('bucket', interval '90 days'), migrate_data => true);
select create_hypertable('rollups_1d', by_range('bucket', interval '365 days'), migrate_data => true);

alter table readings set (timescaledb.compress, timescaledb.compress_segmentby = 'point_id', timescaledb.compress_orderby = 'ts');
select add_compression_policy('readings', interval '14 days');
alter table rollups_15m set (timescaledb.compress, timescaledb.compress_segmentby = 'point_id', timescaledb.compress_orderby = 'bucket');
select add_compression_policy('rollups_15m', interval '60 days');
