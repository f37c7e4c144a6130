-- requires: timescaledb
-- Retention is Hallwatch's own job on every backend (it keeps each point's anchor reading and waits
-- for the rollups to be final); TimescaleDB's policy would drop whole chunks regardless.
select remove_retention_policy('readings', if_exists => true);
