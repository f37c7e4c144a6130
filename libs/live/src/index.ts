export * from './live-events';
export * from './live-publisher.service';
export * from './live.module';
export * from './redis-io.adapter';
