export * from './dead-letter.repository';
export * from './reading.repository';
export * from './readings.module';
export * from './rollup-buckets';
