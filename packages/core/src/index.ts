export * from './errors.js';
export * from './api-error.js';
export * from './oauth-error.js';
export * from './ids.js';
export * from './clock.js';
export * from './crypto.js';
export * from './config.js';
export * from './basic-auth.js';
