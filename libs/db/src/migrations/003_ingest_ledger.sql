-- The loss ledger: per source and outcome, how many readings (or unreadable messages) ingest
-- received and what became of them. Updated in the transaction that stores them, so it always
-- agrees with the readings and dead letters. received = stored + duplicate + rejected:*.
create table ingest_ledger (
  source text not null,
  outcome text not null,
  count bigint not null default 0,
  last_at timestamptz not null default now(),
  primary key (source, outcome)
);

-- A dead letter replayed after a fix (a point registered, say) is marked, not deleted.
alter table dead_letters add column replayed_at timestamptz;
