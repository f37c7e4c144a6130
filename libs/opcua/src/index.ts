export * from './opcua-browser';
export * from './opcua-identity';
