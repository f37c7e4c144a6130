-- Sites, assets and points: the registry. Keys are what devices put in topics.
create table sites (
  id serial primary key,
  key text not null unique check (key ~ '^[a-z0-9-]+$'),
  name text not null,
  timezone text not null default 'Asia/Taipei',
  attributes jsonb not null default '{}',
  -- 'registry' when declared in a registry file (re-applied at start-up), 'api' or 'ingest' otherwise
  origin text not null default 'api',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create table assets (
  id serial primary key,
  site_id int not null references sites (id) on delete cascade,
  key text not null check (key ~ '^[a-z0-9-]+$'),
  name text not null,
  type text not null,
  tags text[] not null default '{}',
  attributes jsonb not null default '{}',
  origin text not null default 'api',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (site_id, key)
);

create table points (
  id serial primary key,
  asset_id int not null references assets (id) on delete cascade,
  key text not null check (key ~ '^[A-Za-z0-9_.-]+$'),
  name text,
  kind text not null check (kind in ('cumulative', 'gauge', 'status', 'setpoint')),
  unit text not null default '',
  tags text[] not null default '{}',
  attributes jsonb not null default '{}',
  origin text not null default 'api',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (asset_id, key)
);

-- One row per point and instant: a re-delivered reading conflicts and changes nothing.
create table readings (
  point_id int not null,
  ts timestamptz not null,
  value double precision not null,
  flags smallint not null default 0,
  primary key (point_id, ts)
);

-- Rollups are recomputed from their source for every bucket a write touches, so late, shuffled
-- and re-delivered data leave them exactly as a clean delivery would. Buckets start on Taipei time.
create table rollups_15m (
  point_id int not null,
  bucket timestamptz not null,
  count int not null,
  sum double precision not null,
  min double precision not null,
  max double precision not null,
  first_ts timestamptz not null,
  first_value double precision not null,
  last_ts timestamptz not null,
  last_value double precision not null,
  primary key (point_id, bucket)
);
create table rollups_1h (like rollups_15m including all);
create table rollups_1d (like rollups_15m including all);

-- What ingest could not accept, with the raw payload and the reason, for inspection and replay.
create table dead_letters (
  id bigserial primary key,
  received_at timestamptz not null default now(),
  source text not null,
  topic text,
  payload text not null,
  reason text not null,
  detail text
);
create index dead_letters_received_at on dead_letters (received_at desc);
create index dead_letters_reason on dead_letters (reason, received_at desc);

-- API tokens are stored as SHA-256 hashes; the token itself is shown once.
create table api_tokens (
  id serial primary key,
  name text not null,
  token_hash text not null unique,
  role text not null check (role in ('viewer', 'engineer', 'energy-officer', 'maintenance', 'admin')),
  created_at timestamptz not null default now(),
  expires_at timestamptz,
  revoked_at timestamptz
);
