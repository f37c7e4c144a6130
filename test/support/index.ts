export * from './eventually';
export * from './test-app';
export * from './test-database';
export * from './test-environment';
export * from './process';
export * from './tcp-proxy';
export * from './mosquitto';
export * from './counted-stream';
