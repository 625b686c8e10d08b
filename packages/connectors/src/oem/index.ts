export { OemHttp, OemTransportError, type OemRequest, type OemResponse, type OemHttpOptions } from './http.js';
export { classify, failureOf, errorText, retryAfterSeconds, type OemErrorRule, type OemVerdict } from './classify.js';
export { OemApiClient, envelope, type OemApiClientOptions, type OemCall, type OemLog } from './client.js';
export { OemQuota, type QuotaClass } from './quota.js';
export { OemTokens, OemAuthRejected, type TokenSet, type OemSession } from './tokens.js';
export { oemReading, epochMs, type OemTimes } from './freshness.js';
export * from './tesla/index.js';
