export * from './point';
export * from './reading';
export * from './buckets';
export * from './roles';
export * from './site-time';
export * from './units';
