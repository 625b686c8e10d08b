import type { OemErrorRule, OemVerdict } from '../classify.js';
import { errorText, retryAfterSeconds } from '../classify.js';
import type { OemResponse } from '../http.js';

/**
 * Every status the Fleet API documents (developer.tesla.com/docs/fleet-api/getting-started/conventions),
 * matched by status and body text, mapped onto connector failures. Rule names are stable: tests and
 * the connector refer to them.
 */
export const RULE = {
  remoteAccessDisabled: '401 mobile_access_disabled',
  tokenRejected: '401 token',
  paymentRequired: '402',
  missingScope: '403 missing scopes',
  unsupportedVehicle: '403 unsupported vehicle',
  signingRequired: '403 command protocol required',
  forbidden: '403',
  notFound: '404',
  notAllowed: '405/406',
  offline: '408',
  unregistered: '412 partner registration',
  precondition: '412',
  wrongRegion: '421',
  invalidResource: '422',
  locked: '423',
  rateLimited: '429',
  privacy: '451',
  keyNotPaired: '500 public key not paired',
  asleepServer: '5xx offline or asleep',
  vehicleTimeout: '500 context deadline exceeded',
  gatewayTimeout: '504',
  server: '5xx',
  device: '540',
} as const;

/** Tesla's page where an owner adds an application's virtual key to the car. */
export const pairingUrl = (domain: string) => `https://tesla.com/_ak/${domain}`;

const fail = (failure: Extract<OemVerdict, { kind: 'fail' }>['failure'], description?: string, operator?: string): OemVerdict =>
  ({ kind: 'fail', failure, ...(description ? { detail: { description } } : {}), ...(operator ? { operator } : {}) });

/** The base URL a 421 names: in the body ("use base URL: https://…") or an `Alt-Svc: h2=https://…` header. */
function namedBase(res: OemResponse): string | undefined {
  const m = /base url:?\s*(https?:\/\/[^\s,"]+)/i.exec(errorText(res));
  if (m) return m[1]!.replace(/\/+$/, '');
  const alt = /h2=(https:\/\/[^\s,;"]+)/i.exec(res.headers['alt-svc'] ?? '');
  return alt ? alt[1]!.replace(/\/+$/, '') : undefined;
}

export function teslaRules(domain: string): readonly OemErrorRule[] {
  return [
    { name: RULE.remoteAccessDisabled, status: 401, body: /mobile_access_disabled/, verdict: fail({ kind: 'precondition', code: 'REMOTE_ACCESS_DISABLED' }) },
    { name: RULE.tokenRejected, status: 401, verdict: { kind: 'refresh' } },
    {
      name: RULE.paymentRequired, status: 402,
      verdict: fail({ kind: 'upstream', code: 'KNOWN_ISSUE' }, 'Tesla refused the request: the platform\'s Tesla developer account needs a payment method or has used up its spending limit.',
        'Tesla answered 402 Payment Required: add a payment method or raise the billing limit on developer.tesla.com'),
    },
    {
      name: RULE.missingScope, status: 403, body: /missing scope/i,
      verdict: fail({ kind: 'account', code: 'PERMISSION' }, 'The owner did not allow this at Tesla (a Tesla scope is missing): they must connect the vehicle again and allow it.'),
    },
    { name: RULE.unsupportedVehicle, status: 403, body: /unsupported vehicle|not supported/i, verdict: fail({ kind: 'not_capable' }) },
    {
      name: RULE.signingRequired, status: 403, body: /vehicle command protocol required/i,
      verdict: fail({ kind: 'upstream', code: 'KNOWN_ISSUE' }, 'This vehicle only accepts signed commands, and the platform has no Tesla Vehicle Command proxy configured.',
        'A vehicle requires signed commands: configure OPENCAR_TESLA_PROXY_URL (tesla-http-proxy)'),
    },
    { name: RULE.forbidden, status: 403, verdict: fail({ kind: 'account', code: 'PERMISSION' }) },
    { name: RULE.notFound, status: 404, verdict: fail({ kind: 'account', code: 'VEHICLE_MISSING' }) },
    { name: RULE.notAllowed, status: [405, 406], verdict: (r) => fail({ kind: 'upstream', code: 'UNKNOWN_ISSUE' }, undefined, `Tesla refused the request format (${r.status}): ${errorText(r)}`) },
    { name: RULE.offline, status: 408, verdict: { kind: 'asleep' } },
    {
      name: RULE.unregistered, status: 412, body: /registered in the current region|partner.*regist/i,
      verdict: (r) => fail({ kind: 'upstream', code: 'KNOWN_ISSUE' },
        'The platform\'s Tesla application is not registered in this vehicle\'s Tesla region yet (partner registration).',
        `Tesla answered 412: run the Tesla partner registration for this region (npm run tesla -- register). ${errorText(r)}`),
    },
    { name: RULE.precondition, status: 412, verdict: (r) => fail({ kind: 'upstream', code: 'KNOWN_ISSUE' }, undefined, `Tesla precondition failed (412): ${errorText(r)}`) },
    { name: RULE.wrongRegion, status: 421, verdict: (r) => ({ kind: 'wrong_region', baseUrl: namedBase(r) }) },
    { name: RULE.invalidResource, status: 422, verdict: (r) => fail({ kind: 'upstream', code: 'UNKNOWN_ISSUE' }, undefined, `Tesla refused the data (422): ${errorText(r)}`) },
    {
      name: RULE.locked, status: 423,
      verdict: fail({ kind: 'account', code: 'ACCOUNT_ISSUE' }, 'The owner\'s Tesla account is locked; only Tesla can unlock it.'),
    },
    { name: RULE.rateLimited, status: 429, verdict: (r) => ({ kind: 'rate_limited', retryAfter: retryAfterSeconds(r, Date.now(), 60) }) },
    {
      name: RULE.privacy, status: 451,
      verdict: fail({ kind: 'account', code: 'ACCOUNT_ISSUE' }, 'Tesla withholds this vehicle\'s data because of the owner\'s privacy settings or region.'),
    },
    {
      name: RULE.keyNotPaired, status: 500, body: /public key has not been paired|not been paired/i,
      verdict: { kind: 'fail', failure: { kind: 'account', code: 'VIRTUAL_KEY_REQUIRED' }, detail: { resolutionUrl: pairingUrl(domain) } },
    },
    { name: RULE.asleepServer, status: [500, 503], body: /offline or asleep|vehicle unavailable/i, verdict: { kind: 'asleep' } },
    { name: RULE.vehicleTimeout, status: 500, body: /context deadline exceeded|timed ?out/i, verdict: fail({ kind: 'timeout' }) },
    { name: RULE.gatewayTimeout, status: 504, verdict: fail({ kind: 'timeout' }) },
    { name: RULE.device, status: 540, verdict: (r) => fail({ kind: 'upstream', code: 'UNKNOWN_ISSUE' }, undefined, `the vehicle answered with an error (540): it may need a reboot, an update or service. ${errorText(r)}`) },
    { name: RULE.server, status: [500, 599], verdict: fail({ kind: 'upstream', code: 'UNKNOWN_ISSUE' }) },
  ];
}

/** Tesla bills every answer below 500. */
export const teslaBilled = (status: number) => status < 500;
