export * from './embedded-broker';
export * from './mqtt-connect';
