// Light on purpose: nothing here loads node-opcua itself (see opcua-loaders.ts).
export * from './opcua-credentials';
export * from './opcua-logging';
export * from './opcua-loaders';
export type { BrowsedVariable, BrowseResult, BrowseTarget } from './opcua-browser';
