export * from './bullmq-connection';
export * from './jobs';
export * from './jobs.module';
