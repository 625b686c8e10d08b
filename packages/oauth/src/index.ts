export * from './contract.js';
export * from './grant-service.js';
export * from './tokens.js';
export * from './testing.js';
export * from './permissions.js';
export type { OAuthDeps } from './deps.js';
export { oauthPlugin } from './plugin.js';
export { batteryCapacityUrl } from './connect/battery-capacity.js';
