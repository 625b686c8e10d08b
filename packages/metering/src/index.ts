export * from './contract.js';
export * from './plans.js';
export * from './month.js';
export * from './token-bucket.js';
export * from './ledger-writer.js';
export * from './metering-service.js';
