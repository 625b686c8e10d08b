export * from './connector.js';
export * from './errors.js';
export * from './backend.js';
export * from './live.js';
export * from './mode-router.js';
export * from './sim/index.js';
export * from './sim-api/index.js';
export * from './oem/index.js';
