export * from './dead-letter.repository';
export * from './reading.repository';
export * from './readings.module';
export * from './rollup-buckets';
export * from './ingest-ledger';
export * from './ingest-store.service';
export * from './consumption.repository';
