-- What energy officers add to the measured numbers: non-routine adjustments, savings measures and
-- targets. Rows are never updated in place: a correction is a new row and the old one is retired,
-- so who entered what and when stays visible.
create table savings_adjustments (
  id serial primary key,
  site_id int not null references sites (id) on delete cascade,
  utility text not null check (utility in ('electricity', 'water', 'fuel')),
  -- 'amount': add `amount` (kWh, m3 or L; may be negative) to the baseline of any report covering
  -- [starts_on, ends_on); 'exclude': leave those days out of both periods and of the model.
  kind text not null check (kind in ('amount', 'exclude')),
  starts_on date not null,
  ends_on date not null check (ends_on > starts_on),
  amount double precision,
  reason text not null check (length(reason) > 0),
  created_by text not null,
  created_at timestamptz not null default now(),
  retired_by text,
  retired_at timestamptz,
  check ((kind = 'amount') = (amount is not null))
);
create index savings_adjustments_site on savings_adjustments (site_id, utility);

create table savings_measures (
  id serial primary key,
  site_id int not null references sites (id) on delete cascade,
  utility text not null check (utility in ('electricity', 'water', 'fuel')),
  name text not null check (length(name) > 0),
  installed_on date not null,
  estimated_per_year double precision not null,
  estimated_ntd_per_year double precision,
  note text,
  created_by text not null,
  created_at timestamptz not null default now(),
  retired_by text,
  retired_at timestamptz
);
create index savings_measures_site on savings_measures (site_id, utility);

create table savings_targets (
  id serial primary key,
  site_id int not null references sites (id) on delete cascade,
  utility text not null check (utility in ('electricity', 'water', 'fuel')),
  baseline_year int not null,
  annual_reduction_pct double precision not null check (annual_reduction_pct >= 0),
  created_by text not null,
  created_at timestamptz not null default now()
);
create index savings_targets_site on savings_targets (site_id, utility, created_at desc);

-- Grid emission factors as published (kgCO2e/kWh), overriding the built-in table year by year.
create table emission_factors (
  year int primary key,
  kg_per_kwh double precision not null check (kg_per_kwh > 0),
  source text not null,
  updated_by text not null,
  updated_at timestamptz not null default now()
);

-- Report runs produced by the worker: parameters, progress and the finished file, kept in the
-- database so that any api instance can serve the download.
create table report_runs (
  id uuid primary key,
  kind text not null,
  params jsonb not null,
  state text not null default 'queued' check (state in ('queued', 'running', 'done', 'failed')),
  progress int not null default 0,
  file_name text,
  content_type text,
  content bytea,
  error text,
  requested_by text not null,
  schedule_id int,
  -- when a scheduled report was e-mailed to its schedule's recipients
  emailed_at timestamptz,
  created_at timestamptz not null default now(),
  finished_at timestamptz
);
create index report_runs_created on report_runs (created_at desc);
create index report_runs_schedule on report_runs (schedule_id, (params->>'from'));

create table report_schedules (
  id serial primary key,
  params jsonb not null,
  cadence text not null check (cadence in ('monthly', 'half-yearly')),
  recipients text[] not null default '{}',
  created_by text not null,
  created_at timestamptz not null default now(),
  enabled boolean not null default true
);
