-- Rule transitions applied to alerts, by their key (the hash of rule, kind and time that is also
-- their BullMQ job id): a transition job run again - stalled and retried, or re-enqueued after
-- Redis removed the finished one - changes nothing the second time.
create table applied_transitions (
  key text primary key,
  applied_at timestamptz not null default now()
);
