export { TeslaBackend, type TeslaBackendOptions } from './backend.js';
export { TeslaConnector } from './connector.js';
export { TeslaKeys, PUBLIC_KEY_PATH, publicKeyHex } from './keys.js';
export { teslaSelfTest, type SelfTestCheck, type SelfTestInput } from './self-test.js';
export type { PartnerRegistration } from './partner.js';
export { teslaScopes, TESLA_SCOPE_OF, TESLA_BASE_SCOPES } from './scopes.js';
export { teslaRules, RULE as TESLA_RULE, pairingUrl, teslaBilled } from './errors.js';
export { MI_TO_KM, BAR_TO_KPA } from './readings.js';
