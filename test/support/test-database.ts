import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { Database, migrate, MIGRATIONS_DIR, PgDatabase, PgliteDatabase } from '@hallwatch/db';

export type BackendName = 'postgres' | 'timescaledb-embedded';
export const BACKENDS: BackendName[] = ['postgres', 'timescaledb-embedded'];

/** The server every integration test talks to; CI starts it (see .ci/run). */
export const POSTGRES_ADMIN_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase {
  db: Database;
  /** DATABASE_URL for a process under test; undefined for the embedded backend. */
  url?: string;
  drop(): Promise<void>;
}

/** A fresh, migrated database of its own for one suite: a copy of a migrated template on the server, or an in-memory PGlite. */
export async function createTestDatabase(backend: BackendName): Promise<TestDatabase> {
  if (backend === 'timescaledb-embedded') {
    const db = await PgliteDatabase.open(undefined, new Blob([readFileSync(await migratedPgliteDump())]));
    // Applies nothing on a copy of the migrated database; it still detects the capabilities.
    await migrate(db);
    return { db, drop: () => db.close() };
  }
  const url = await createServerDatabase(await migratedTemplate());
  const db = new PgDatabase(url, 4);
  // Applies nothing on a copy of the template; it still detects the server's capabilities.
  await migrate(db);
  return {
    db,
    url,
    drop: async () => {
      await db.close();
      await dropServerDatabase(url);
    },
  };
}

/**
 * An empty database on the server (not migrated), for processes that migrate themselves; or, with
 * `template`, a copy of that database.
 */
export async function createServerDatabase(template?: string): Promise<string> {
  const name = `hallwatch_test_${randomBytes(6).toString('hex')}`;
  await withAdmin(async (admin) => {
    await admin.query(`create database ${name}${template ? ` template ${template}` : ''}`);
    // A commit need not wait for its WAL to reach the disk: every session still sees it at once,
    // only a crash of the server itself could lose it, and no test crashes the server.
    await admin.query(`alter database ${name} set synchronous_commit = off`);
  });
  return serverUrl(name);
}

export async function dropServerDatabase(url: string): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  await withAdmin((admin) => admin.query(`drop database if exists ${name} with (force)`));
}

/**
 * The name of a database on the server that holds every migration of this tree, made once and
 * then copied by `create database ... template` (a file copy) instead of running the migrations
 * again for each suite. Its name carries a hash of the migrations, so a changed or added
 * migration gets a template of its own; it is built under a name of its own and renamed when
 * done, so that concurrent test runs never copy a half-migrated one.
 */
async function migratedTemplate(): Promise<string> {
  const name = `hallwatch_template_${migrationsHash()}`;
  if (await serverDatabaseExists(name)) return name;
  const building = await createServerDatabase();
  const db = new PgDatabase(building, 1);
  try {
    await migrate(db);
  } finally {
    await db.close();
  }
  const buildingName = new URL(building).pathname.slice(1);
  await withAdmin(async (admin) => {
    try {
      await admin.query(`alter database ${buildingName} rename to ${name}`);
    } catch (error) {
      // Another suite finished the same template first: use that one.
      await admin.query(`drop database if exists ${buildingName} with (force)`);
      if (!(await serverDatabaseExists(name))) throw error;
    }
  });
  return name;
}

/**
 * A file holding an embedded database with every migration of this tree (PGlite's `dumpDataDir`),
 * made once per set of migrations and loaded by each suite: loading it takes a fraction of running
 * the migrations again. Written under a name of its own and renamed, so a suite never loads half a file.
 */
async function migratedPgliteDump(): Promise<string> {
  const file = join(tmpdir(), `hallwatch-pglite-template-${migrationsHash()}.tar.gz`);
  if (existsSync(file)) return file;
  const db = await PgliteDatabase.open();
  try {
    await migrate(db);
    const building = `${file}.${randomBytes(6).toString('hex')}`;
    writeFileSync(building, Buffer.from(await (await db.client.dumpDataDir('gzip')).arrayBuffer()));
    renameSync(building, file);
  } finally {
    await db.close();
  }
  return file;
}

function migrationsHash(): string {
  const hash = createHash('sha256');
  for (const file of readdirSync(MIGRATIONS_DIR).sort()) hash.update(file).update(readFileSync(join(MIGRATIONS_DIR, file)));
  return hash.digest('hex').slice(0, 16);
}

async function serverDatabaseExists(name: string): Promise<boolean> {
  let exists = false;
  await withAdmin(async (admin) => {
    exists = (await admin.query('select 1 from pg_database where datname = $1', [name])).rowCount === 1;
  });
  return exists;
}

function serverUrl(name: string): string {
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

async function withAdmin(work: (client: Client) => Promise<unknown>): Promise<void> {
  const admin = new Client({ connectionString: POSTGRES_ADMIN_URL });
  await admin.connect();
  try {
    await work(admin);
  } finally {
    await admin.end();
  }
}
