export * from './html.js';
export * from './layout.js';
export * from './csp.js';
