export { ApiModule } from './api.module';
export { configureApi } from './api.setup';
export * from './auth-matrix';
