export { webPlugin } from './plugin.js';
export type { WebDeps } from './deps.js';
export { DEMO_DEVELOPER_EMAIL, TOS_VERSION } from './services/developers.js';
