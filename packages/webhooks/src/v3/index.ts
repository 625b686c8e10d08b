export * from './triggers.js';
export * from './verify-event.js';
export * from './integration-service.js';
export * from './evaluate.js';
export * from './payload.js';
export * from './vehicle-errors.js';
export * from './integration-events.js';
