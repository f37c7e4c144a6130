-- Meter replacement with a recorded start: the new meter's register begins at start_value, so
-- the step from the old meter's last reading to the new meter's first counts cur - start_value
-- (flag 16) instead of being taken for a reset from zero.
create table register_replacements (
  id bigserial primary key,
  point_id int not null references points (id) on delete cascade,
  replaced_at timestamptz not null,
  start_value double precision not null check (start_value >= 0),
  note text,
  created_by text not null,
  created_at timestamptz not null default now(),
  unique (point_id, replaced_at)
);

drop function register_step(double precision, timestamptz, double precision, timestamptz, double precision, double precision, double precision);

-- One step of a register: (delta, flags). replacement_start: the new register's start when a
-- replacement lies inside the step (null: none).
create function register_step(
  prev double precision, prev_ts timestamptz, cur double precision, cur_ts timestamptz,
  rollover_at double precision, max_rate_per_hour double precision, gap_hours double precision,
  replacement_start double precision
) returns table (delta double precision, flags int)
language sql immutable as $$
  with step as (
    select case
             when prev is null then 0
             when replacement_start is not null then greatest(cur - replacement_start, 0)
             when cur >= prev then cur - prev
             when rollover_at > 0 and prev > rollover_at / 2 and cur < rollover_at / 2 then rollover_at - prev + cur
             else cur
           end as raw,
           case
             when prev is null then 0
             when replacement_start is not null then 16
             when cur >= prev then 0
             when rollover_at > 0 and prev > rollover_at / 2 and cur < rollover_at / 2 then 8
             else 2
           end as kind,
           greatest(extract(epoch from (cur_ts - prev_ts)) / 3600.0, 1.0 / 3600) as hours
  )
  select case when max_rate_per_hour is not null and raw > max_rate_per_hour * hours then 0 else raw end,
         kind
         | case when max_rate_per_hour is not null and raw > max_rate_per_hour * hours then 4 else 0 end
         | case when prev_ts is not null and hours > gap_hours then 1 else 0 end
  from step
$$;

-- Time-weighted means: each reading holds until the next one (at most an hour, within its bucket);
-- tw_sum is value x seconds held, tw_seconds the seconds covered. Levels above add both up.
alter table rollups_15m add column tw_sum double precision, add column tw_seconds double precision;
alter table rollups_1h add column tw_sum double precision, add column tw_seconds double precision;
alter table rollups_1d add column tw_sum double precision, add column tw_seconds double precision;
