export * from './bullmq-connection';
export * from './faults';
export * from './job-outbox.repository';
export * from './job-payload';
export * from './jobs';
export * from './jobs.module';
