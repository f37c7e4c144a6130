export * from './bullmq-connection';
export * from './jobs';
