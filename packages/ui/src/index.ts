export * from './html.js';
export * from './layout.js';
