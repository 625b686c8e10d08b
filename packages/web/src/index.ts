export { webPlugin } from './plugin.js';
export type { WebDeps } from './deps.js';
export { TOS_VERSION } from './services/developers.js';
