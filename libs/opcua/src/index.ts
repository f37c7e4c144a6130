export * from './opcua-browser';
export * from './opcua-identity';
export * from './opcua-logging';
