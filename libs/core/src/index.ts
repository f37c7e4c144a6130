export * from './core.module';
export * from './domain-error';
export * from './error.filter';
export * from './health-registry.service';
export * from './http-app';
export * from './metrics.service';
export * from './public.decorator';
export * from './redis.service';
