-- Alert rules (definitions validated by the alerts library), alerts with their full history,
-- contacts and escalation, notification deliveries, and maintenance schedules with work items.
create table alert_rules (
  id text primary key,
  site text not null,
  definition jsonb not null,
  enabled boolean not null default true,
  -- 'api', 'registry' or 'starter-pack'
  origin text not null default 'api',
  updated_by text not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index alert_rules_site on alert_rules (site);

create table alerts (
  id bigserial primary key,
  -- a rule id, or 'maintenance:<task id>' for overdue maintenance
  rule_id text not null,
  site text not null,
  target text not null,
  state text not null check (state in ('open', 'acknowledged', 'resolved')),
  severity text not null check (severity in ('P1', 'P2', 'P3', 'P4')),
  title text not null,
  detail text not null default '',
  value double precision,
  repeats int not null default 0,
  assignee text,
  shelved_until timestamptz,
  escalation_level int not null default 0,
  opened_at timestamptz not null,
  acknowledged_at timestamptz,
  acknowledged_by text,
  resolved_at timestamptz,
  resolved_by text,
  updated_at timestamptz not null default now()
);
-- One alert per rule and target until it is resolved: repeats update it, they do not multiply.
create unique index alerts_one_unresolved on alerts (rule_id, target) where state <> 'resolved';
create index alerts_state on alerts (state, opened_at desc);

create table alert_events (
  id bigserial primary key,
  alert_id bigint not null references alerts (id) on delete cascade,
  at timestamptz not null default now(),
  actor text not null,
  action text not null,
  detail jsonb not null default '{}'
);
create index alert_events_alert on alert_events (alert_id, id);

create table alert_contacts (
  id text primary key check (id ~ '^[a-z0-9-]+$'),
  name text not null,
  channel text not null check (channel in ('webhook', 'chat', 'email')),
  -- a URL for webhook and chat, an address for e-mail
  address text not null,
  -- webhook only: the key that signs each delivery (HMAC-SHA256)
  secret text,
  updated_by text not null,
  updated_at timestamptz not null default now()
);

-- Per site ('*' for every site without its own): who hears of an alert, and when.
create table escalation_policies (
  site text primary key,
  -- [{ "afterSeconds": 0, "contacts": ["duty-engineer"] }, { "afterSeconds": 900, "contacts": ["facility-manager"] }]
  levels jsonb not null,
  -- repeat to everyone reached so far until acknowledged; null: no repeats
  repeat_seconds int,
  min_severity text not null default 'P4' check (min_severity in ('P1', 'P2', 'P3', 'P4')),
  updated_by text not null,
  updated_at timestamptz not null default now()
);

create table notifications (
  id uuid primary key,
  alert_id bigint not null references alerts (id) on delete cascade,
  contact_id text not null,
  channel text not null,
  -- what it says: 'opened', 'repeat', 'escalated', 'resolved'
  reason text not null,
  level int not null,
  state text not null default 'pending' check (state in ('pending', 'delivered', 'failed')),
  attempts int not null default 0,
  last_error text,
  created_at timestamptz not null default now(),
  delivered_at timestamptz
);
create index notifications_alert on notifications (alert_id);
create index notifications_state on notifications (state, created_at desc);

create table maintenance_tasks (
  id text primary key check (id ~ '^[a-z0-9-]+$'),
  site text not null,
  asset text not null,
  name text not null,
  -- calendar tasks: recurrence and anchor; run-hour tasks: every_run_hours and the status point
  recurrence text check (recurrence in ('weekly', 'monthly', 'quarterly', 'semi-annual', 'annual')),
  anchor date,
  every_run_hours double precision,
  run_point text,
  last_done_run_hours double precision not null default 0,
  grace_days int not null default 0,
  updated_by text not null,
  updated_at timestamptz not null default now(),
  check ((recurrence is not null and anchor is not null) or (every_run_hours is not null and run_point is not null))
);

create table maintenance_work_items (
  id bigserial primary key,
  task_id text not null references maintenance_tasks (id) on delete cascade,
  due_on date not null,
  state text not null default 'open' check (state in ('open', 'done')),
  -- run-hour tasks: the running hours that made it due
  due_at_run_hours double precision,
  completed_at timestamptz,
  completed_by text,
  note text,
  created_at timestamptz not null default now(),
  unique (task_id, due_on)
);
create index maintenance_work_items_state on maintenance_work_items (state, due_on);
