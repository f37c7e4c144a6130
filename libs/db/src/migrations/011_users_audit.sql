-- People who sign in, and what they did. Passwords are scrypt hashes that carry their own salt
-- and parameters (scrypt$N$r$p$salt$key); the password itself is never stored or logged.
create table users (
  id serial primary key,
  name text not null unique check (name ~ '^[a-z0-9][a-z0-9._@-]{0,63}$'),
  password_hash text not null,
  role text not null check (role in ('viewer', 'engineer', 'energy-officer', 'maintenance', 'admin')),
  -- site keys the user may see and act on; null: every site
  sites text[],
  -- users are disabled, never deleted: their name stays meaningful in the audit log
  disabled_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

-- Tokens are API tokens for machines (kind 'api') or sign-in sessions of a user (kind 'session',
-- which take role and sites from the user at every check).
alter table api_tokens
  add column kind text not null default 'api' check (kind in ('api', 'session')),
  add column user_id int references users (id) on delete cascade,
  -- API tokens only; null: every site
  add column sites text[],
  add column created_by text;
create index api_tokens_user on api_tokens (user_id) where revoked_at is null;

create table audit_log (
  id bigserial primary key,
  at timestamptz not null default now(),
  -- a user or token name; for a failed sign-in, the name that was tried
  actor text not null,
  -- 'auth.sign-in', or the method and route of a change: 'PUT /api/v1/sites/:site'
  action text not null,
  target text,
  detail jsonb not null default '{}',
  ip text
);
create index audit_log_at on audit_log (at desc);
create index audit_log_actor on audit_log (actor, at desc);
