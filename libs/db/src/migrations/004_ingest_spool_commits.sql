-- Each ingest instance spools what it acknowledges to local disk before storing it. The highest
-- spool sequence stored is committed here in the same transaction as the batch, so after a crash
-- the instance replays exactly what was not yet stored: nothing twice, nothing lost.
create table ingest_spool_commits (
  instance text primary key,
  seq bigint not null
);
