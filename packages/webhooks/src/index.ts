export * from './contract.js';
export * from './subscriptions.js';
