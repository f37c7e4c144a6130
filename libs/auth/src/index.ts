export * from './auth.guard';
export * from './auth.module';
export * from './auth.service';
export * from './roles.decorator';
export * from './principal.decorator';
