export * from './connector.js';
export * from './errors.js';
export * from './backend.js';
