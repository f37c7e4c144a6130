export * from './database';
export * from './pg.database';
export * from './pglite.database';
export * from './migrator';
export * from './database.module';
export * from './iso-dates';
