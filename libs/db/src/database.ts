export type DatabaseBackend = 'postgres' | 'pglite';

export interface Queryable {
  query<Row = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<Row[]>;
}

/** What a transaction offers: parameterised queries and multi-statement scripts. */
export interface Transaction extends Queryable {
  exec(sql: string): Promise<void>;
}

export interface DatabaseCapabilities {
  /** TimescaleDB is installed: hypertables, compression and retention policies are in place. */
  timescaledb: boolean;
  serverVersion: string;
}

/**
 * The one database interface of Hallwatch: plain SQL in, rows out. Repositories hold the queries;
 * the backend (a PostgreSQL server or the embedded TimescaleDB) is chosen at start-up.
 */
export abstract class Database implements Queryable {
  abstract readonly backend: DatabaseBackend;
  capabilities: DatabaseCapabilities = { timescaledb: false, serverVersion: 'unknown' };

  abstract query<Row = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<Row[]>;
  /** Runs several statements (no parameters), e.g. a migration. */
  abstract exec(sql: string): Promise<void>;
  abstract transaction<T>(work: (tx: Transaction) => Promise<T>): Promise<T>;
  abstract close(): Promise<void>;
}

/**
 * Where read-only queries (trends, rollups, reports) go: a read replica when DATABASE_READ_URL is
 * given, else the primary itself. Never written to.
 */
export abstract class ReadDatabase {
  abstract query<Row = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<Row[]>;
}
