-- Consumption from cumulative registers (kWh, m3): the difference of consecutive readings, with
-- register rollover, meter reset and implausible spikes handled. Each difference belongs to the
-- bucket of the later reading, so 15-minute, hourly and daily sums agree.
--
-- consumption_flags: 1 = includes consumption across a gap (kept whole, in the bucket after the
-- gap); 2 = includes a meter reset (counted from zero); 4 = a spike was discarded; 8 = includes a
-- register rollover.
alter table rollups_15m add column consumption double precision, add column consumption_flags int not null default 0;
alter table rollups_1h add column consumption double precision, add column consumption_flags int not null default 0;
alter table rollups_1d add column consumption double precision, add column consumption_flags int not null default 0;

-- One step of a register: (delta, flags). rollover_at: the register's maximum (null: none);
-- max_rate_per_hour: above this the step is a spike (null: no limit); gap_hours: a longer step is a gap.
create function register_step(
  prev double precision, prev_ts timestamptz, cur double precision, cur_ts timestamptz,
  rollover_at double precision, max_rate_per_hour double precision, gap_hours double precision
) returns table (delta double precision, flags int)
language sql immutable as $$
  with step as (
    select case
             when prev is null then 0
             when cur >= prev then cur - prev
             when rollover_at > 0 and prev > rollover_at / 2 and cur < rollover_at / 2 then rollover_at - prev + cur
             else cur
           end as raw,
           case
             when prev is null or cur >= prev then 0
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
