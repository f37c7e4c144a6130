import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Database } from './database';

export const MIGRATIONS_DIR = join(__dirname, 'migrations');

/** A migration whose first line is this marker runs only where TimescaleDB is installed. */
const TIMESCALE_MARKER = '-- requires: timescaledb';

export interface MigrationReport {
  applied: string[];
  skipped: string[];
}

/**
 * Applies the SQL files of `dir` in name order, each in its own transaction, once. A file that
 * needs TimescaleDB is not recorded when skipped, so it runs on the first start with the extension.
 */
export async function migrate(db: Database, dir = MIGRATIONS_DIR): Promise<MigrationReport> {
  await db.exec(`create table if not exists schema_migrations (
    name text primary key,
    applied_at timestamptz not null default now()
  )`);
  db.capabilities = await detectCapabilities(db);
  const done = new Set((await db.query<{ name: string }>('select name from schema_migrations')).map((row) => row.name));
  const report: MigrationReport = { applied: [], skipped: [] };
  for (const file of readdirSync(dir)
    .filter((name) => name.endsWith('.sql'))
    .sort()) {
    const name = file.replace(/\.sql$/, '');
    if (done.has(name)) continue;
    const sql = readFileSync(join(dir, file), 'utf8');
    if (sql.startsWith(TIMESCALE_MARKER) && !db.capabilities.timescaledb) {
      report.skipped.push(name);
      continue;
    }
    await db.transaction(async (tx) => {
      await tx.exec(sql);
      await tx.query('insert into schema_migrations (name) values ($1)', [name]);
    });
    report.applied.push(name);
  }
  return report;
}

/** Installs TimescaleDB where the server offers it; plain PostgreSQL otherwise. */
async function detectCapabilities(db: Database): Promise<Database['capabilities']> {
  const [{ version }] = await db.query<{ version: string }>('show server_version');
  const available = await db.query("select 1 from pg_available_extensions where name = 'timescaledb'");
  let timescaledb = false;
  if (available.length > 0) {
    try {
      await db.exec('create extension if not exists timescaledb');
      timescaledb = true;
    } catch {
      // Offered but not preloaded (shared_preload_libraries): run as plain PostgreSQL.
      timescaledb = false;
    }
  }
  return { timescaledb, serverVersion: version };
}
