-- The rollup engine of docs/rollups.md. Writers store readings and log what they invalidated; one
-- refresher at a time (an advisory lock) recomputes the affected buckets from the stored readings,
-- the way TimescaleDB's continuous aggregates catch up from their invalidation log.

-- A bucket can hold consumption or a held value without a reading of its own (a step or a hold
-- crosses it): then it has no min, max, first or last.
do $$
declare level text;
begin
  foreach level in array array['rollups_15m', 'rollups_1h', 'rollups_1d'] loop
    execute format('alter table %I alter column min drop not null, alter column max drop not null,
                    alter column first_ts drop not null, alter column first_value drop not null,
                    alter column last_ts drop not null, alter column last_value drop not null,
                    add column estimated double precision', level);
  end loop;
end $$;

-- Readings stored but not yet in the rollups: a point and the span of its new readings.
create table rollup_invalidations (
  id bigserial primary key,
  point_id int not null,
  from_ts timestamptz not null,
  to_ts timestamptz not null,
  created_at timestamptz not null default now()
);

-- A number from a point's attributes, or null when absent or not a number (the refresher must
-- never fail on what a registry file holds).
create function attribute_number(attributes jsonb, name text) returns double precision
language sql immutable as $$
  select case when jsonb_typeof(attributes -> name) = 'number' then (attributes ->> name)::double precision end
$$;

-- One register step (t0, v0) -> (t1, v1), decided as docs/rollups.md says: (delta, flags, estimated).
-- replacement_start: the new register's start when a recorded replacement lies inside the step.
-- One SELECT without CTEs, so that the planner inlines it into the refresher's query (a function
-- call per step is most of the refresh time otherwise).
create function register_step_v2(
  v0 double precision, t0 timestamptz, v1 double precision, t1 timestamptz, attributes jsonb,
  replacement_start double precision
) returns table (delta double precision, flags int, estimated double precision)
language sql immutable as $$
  select case when spike then 0 else amount end,
         kind | case when spike then 4 else 0 end | case when gap then 1 else 0 end,
         case when gap and not spike then amount else 0 end
  from (
    select amount, kind,
           coalesce(max_rate is not null and amount > max_rate * seconds / 3600, false) as spike,
           seconds > 2 * expected_seconds as gap
    from (
      select max_rate, seconds, expected_seconds,
             case
               when replacement_start is not null then greatest(v1 - replacement_start, 0)
               when v1 >= v0 then v1 - v0
               when v0 - v1 <= noise_band then 0
               when rollover_at > 0 and v0 >= 0.9 * rollover_at and v1 <= 0.1 * rollover_at then rollover_at - v0 + v1
               when v1 <= 0.01 * v0 then v1
               else 0
             end as amount,
             case
               when replacement_start is not null then 16
               when v1 >= v0 then 0
               when v0 - v1 <= noise_band then 32
               when rollover_at > 0 and v0 >= 0.9 * rollover_at and v1 <= 0.1 * rollover_at then 8
               when v1 <= 0.01 * v0 then 2
               else 4
             end as kind
      from (
        select attribute_number(attributes, 'rolloverAt') as rollover_at,
               coalesce(attribute_number(attributes, 'noiseBand'), 0.001 * abs(v0)) as noise_band,
               attribute_number(attributes, 'maxRatePerHour') as max_rate,
               coalesce(attribute_number(attributes, 'expectedIntervalSeconds'), 3600) as expected_seconds,
               extract(epoch from (t1 - t0))::double precision as seconds
      ) p
    ) c
  ) l
$$;

-- The start of the site's local wall-clock hour holding `ts` (a zone's offset may be :30 or :45).
create function local_hour_start(ts timestamptz, tz text) returns timestamptz
language sql stable as $$
  select ts - make_interval(mins => extract(minute from ts at time zone tz)::int,
                            secs => extract(second from ts at time zone tz)::double precision)
$$;

-- The local midnight after the local day that starts at `day` (days are 23 to 25 hours long).
create function local_next_day(day timestamptz, tz text) returns timestamptz
language sql stable as $$
  select date_trunc('day', day + interval '26 hours', tz)
$$;
