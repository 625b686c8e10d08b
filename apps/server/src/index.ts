export { buildApp } from './build-app.js';
export { createPlatform, type Platform, type PlatformInput } from './platform.js';
export { provision, type ProvisionedCredentials } from './provision.js';
