export * from './alert-catalogue';
export * from './alert-facts';
export * from './alert-text';
export * from './place-name';
