import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { Database, migrate, PgDatabase, PgliteDatabase } from '@hallwatch/db';

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

/** A fresh, migrated database of its own for one suite: a new database on the server, or an in-memory PGlite. */
export async function createTestDatabase(backend: BackendName): Promise<TestDatabase> {
  if (backend === 'timescaledb-embedded') {
    const db = await PgliteDatabase.open();
    await migrate(db);
    return { db, drop: () => db.close() };
  }
  const url = await createServerDatabase();
  const db = new PgDatabase(url, 4);
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

/** An empty database on the server (not migrated), for processes that migrate it themselves. */
export async function createServerDatabase(): Promise<string> {
  const name = `hallwatch_test_${randomBytes(6).toString('hex')}`;
  await withAdmin((admin) => admin.query(`create database ${name}`));
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function dropServerDatabase(url: string): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  await withAdmin((admin) => admin.query(`drop database if exists ${name} with (force)`));
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
