-- Tariff versions entered by energy officers (the JSON shape of the built-in Taipower tables);
-- one with a built-in id replaces it, others are added by their effective date.
create table tariff_versions (
  id text primary key check (id ~ '^[a-z0-9-]+$'),
  body jsonb not null,
  updated_by text not null,
  updated_at timestamptz not null default now()
);
