export * from './triggers.js';
export * from './verify-event.js';
export * from './integration-service.js';
