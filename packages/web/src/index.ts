export { webPlugin } from './plugin.js';
export type { WebDeps } from './deps.js';
export { DEMO_DEVELOPER_EMAIL, TOS_VERSION } from './services/developers.js';
/** The dashboard's rule for a request's language, for the server's other pages. */
export { langOf } from './i18n/index.js';
