export * from './dead-letter.repository';
export * from './reading.repository';
export * from './readings.module';
export * from './ingest-ledger';
export * from './ingest-store.service';
export * from './consumption.repository';
export * from './rollup-invalidations';
export * from './rollup-refresher.service';
