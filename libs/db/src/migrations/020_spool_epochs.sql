-- Each ingest spool has an epoch (a random id made when its folder is new; apps/ingest/src/spool).
-- The commit marker says how far the spool of that epoch is stored. A spool in a new folder has
-- a new epoch, so its sequence numbers, which start again at 1, are never taken for ones the
-- previous spool had committed. Rows written before epochs existed keep '', the epoch of a spool
-- folder that predates them.
alter table ingest_spool_commits add column epoch text not null default '';
