export * from './openapi/index.js';
