-- A floor's plan: an uploaded SVG (sanitised before it is stored) or the grid of zones generated from the registry.
create table floor_plans (
  site text not null,
  floor text not null,
  kind text not null check (kind in ('svg', 'grid')),
  svg text,
  updated_by text not null,
  updated_at timestamptz not null default now(),
  primary key (site, floor),
  check ((kind = 'svg') = (svg is not null))
);

-- A maintenance task made from an alert is done once: the planner leaves it out of its recurrences.
alter table maintenance_tasks add column alert_id bigint;
create unique index maintenance_tasks_alert on maintenance_tasks (alert_id) where alert_id is not null;
