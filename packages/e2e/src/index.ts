export * from './server.js';
export * from './browser.js';
export * from './process.js';
export * from './axe.js';
export * from './journey.js';
export * from './two-processes.js';
