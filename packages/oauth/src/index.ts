export * from './contract.js';
export * from './grant-service.js';
export * from './tokens.js';
export * from './testing.js';
