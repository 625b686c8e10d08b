export * from './open.js';
export * from './errors.js';
export type { Database } from './database.js';
export * from './tables/accounts.js';
export * from './repos/accounts.js';
export * from './tables/oauth.js';
export * from './repos/oauth.js';
