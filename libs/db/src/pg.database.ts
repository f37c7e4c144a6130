import { Pool, PoolClient } from 'pg';
import { Database, Transaction } from './database';

/** node-postgres against a PostgreSQL or TimescaleDB server. */
export class PgDatabase extends Database {
  readonly backend = 'postgres' as const;
  private readonly pool: Pool;

  constructor(connectionString: string, poolSize: number) {
    super();
    this.pool = new Pool({ connectionString, max: poolSize, application_name: 'hallwatch' });
    // An idle client that loses its server must not crash the process; the next query reports it.
    this.pool.on('error', () => undefined);
  }

  async query<Row>(sql: string, params: readonly unknown[] = []): Promise<Row[]> {
    const result = await this.pool.query(sql, params as unknown[]);
    return result.rows as Row[];
  }

  async exec(sql: string): Promise<void> {
    await this.pool.query(sql);
  }

  async transaction<T>(work: (tx: Transaction) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    // A checked-out client that loses its server emits 'error'; the failing query reports it.
    const ignore = () => undefined;
    client.on('error', ignore);
    let failure: Error | undefined;
    try {
      await client.query('BEGIN');
      const result = await work(clientQueryable(client));
      await client.query('COMMIT');
      return result;
    } catch (error) {
      failure = error as Error;
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.off('error', ignore);
      // A client whose transaction failed may have lost its connection: the pool replaces it.
      client.release(failure);
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

function clientQueryable(client: PoolClient): Transaction {
  return {
    query: async <Row>(sql: string, params: readonly unknown[] = []) => (await client.query(sql, params as unknown[])).rows as Row[],
    exec: async (sql: string) => {
      await client.query(sql);
    },
  };
}
