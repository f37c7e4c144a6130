export * from './condition-state';
export * from './maintenance-schedule';
export * from './night-base-load';
export * from './rule-definition';
export * from './rule-evaluator';
export * from './schedule';
export * from './starter-pack';
