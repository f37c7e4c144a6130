-- Corrections of stored readings by an authorised person (#18): every change keeps the reading as
-- it was. `correct` changes the value (the reading gets the corrected flag); `void` removes the
-- reading from the data, and a re-delivery of the same point and time is not stored again.
create table reading_corrections (
  id bigserial primary key,
  point_id int not null references points (id) on delete cascade,
  ts timestamptz not null,
  action text not null check (action in ('correct', 'void')),
  original_value double precision not null,
  original_flags smallint not null,
  value double precision,
  reason text not null,
  corrected_by text not null,
  corrected_at timestamptz not null default now(),
  check ((action = 'void') = (value is null))
);
create index reading_corrections_point_ts on reading_corrections (point_id, ts);
