import { Global, Inject, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { join } from 'node:path';
import { AppConfig } from '@hallwatch/config';
import { Database, ReadDatabase } from './database';
import { migrate } from './migrator';
import { PgDatabase } from './pg.database';
import { PgliteDatabase } from './pglite.database';

/** Opens the configured backend and brings its schema up to date. */
export async function openDatabase(config: AppConfig): Promise<Database> {
  const url = config.get('DATABASE_URL');
  const db = url
    ? new PgDatabase(url, config.get('DATABASE_POOL_SIZE'))
    : await PgliteDatabase.open(config.get('DATABASE_EMBEDDED_STORAGE') === 'memory' ? undefined : join(config.get('DATA_DIR'), 'db'));
  const report = await migrate(db);
  const logger = new Logger('Database');
  logger.log(
    {
      backend: db.backend,
      timescaledb: db.capabilities.timescaledb,
      serverVersion: db.capabilities.serverVersion,
      applied: report.applied,
      skipped: report.skipped,
    },
    db.capabilities.timescaledb
      ? `${db.backend}: TimescaleDB present, hypertables, compression and retention in use`
      : `${db.backend}: plain PostgreSQL, no TimescaleDB: same tables, housekeeping by the worker`,
  );
  return db;
}

/** The replica of DATABASE_READ_URL (its schema is the primary's), or the primary. */
function openReadDatabase(config: AppConfig, primary: Database): Database {
  const url = config.get('DATABASE_READ_URL');
  return url ? new PgDatabase(url, config.get('DATABASE_POOL_SIZE')) : primary;
}

@Global()
@Module({
  providers: [
    { provide: Database, inject: [AppConfig], useFactory: openDatabase },
    { provide: ReadDatabase, inject: [AppConfig, Database], useFactory: openReadDatabase },
  ],
  exports: [Database, ReadDatabase],
})
export class DatabaseModule implements OnApplicationShutdown {
  constructor(
    @Inject(Database) private readonly db: Database,
    @Inject(ReadDatabase) private readonly readDb: Database,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.readDb !== this.db) await this.readDb.close();
    await this.db.close();
  }
}
