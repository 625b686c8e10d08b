import type { Clock, TeslaConfig, TeslaRegion } from '@opencar/core';
import type { OemRepo } from '@opencar/storage';
import { VehicleError } from '../../errors.js';
import { errorText } from '../classify.js';
import { OemTransportError, type OemHttp, type OemResponse } from '../http.js';
import { publicKeyHex, type TeslaKeys } from './keys.js';
import type { TeslaAuth } from './oauth.js';
import { CONNECTOR } from './services.js';

/**
 * Partner registration, once per region: `POST /api/1/partner_accounts {domain}` with a
 * client-credentials partner token. Tesla then fetches the public key from the domain's well-known
 * path, so the key pair must exist and be served first; the key Tesla stored is read back with
 * `GET /api/1/partner_accounts/public_key` and compared with opencar's.
 */
export interface PartnerRegistration {
  region: TeslaRegion;
  domain: string;
  /** Whether the key Tesla holds for the domain is opencar's current public key. */
  keyMatches: boolean;
}

export interface PartnerDeps {
  config: TeslaConfig;
  auth: TeslaAuth;
  http: OemHttp;
  repo: OemRepo;
  keys: TeslaKeys;
  clock: Clock;
}

export async function registerPartner(d: PartnerDeps, region: TeslaRegion): Promise<PartnerRegistration> {
  const publicPem = await d.keys.publicPem();
  if (!publicPem) throw new VehicleError({ kind: 'upstream', code: 'KNOWN_ISSUE' }, 'generate the Tesla key pair first (npm run tesla -- keys)');
  const token = await d.auth.partnerToken(region);
  const base = d.config.fleetUrls[region];
  const headers = { authorization: `Bearer ${token}` };
  const reg = await send(d, { method: 'POST', url: `${base}/api/1/partner_accounts`, json: { domain: d.config.domain }, headers });
  if (reg.status !== 200 && reg.status !== 201) throw new VehicleError({ kind: 'upstream', code: 'UNKNOWN_ISSUE' }, `Tesla refused the registration in ${region}: ${reg.status} ${errorText(reg)}`);
  const check = await send(d, { method: 'GET', url: `${base}/api/1/partner_accounts/public_key?domain=${encodeURIComponent(d.config.domain)}`, headers });
  const held = (check.json as { response?: { public_key?: unknown } } | undefined)?.response?.public_key;
  await d.repo.markRegistered(CONNECTOR, region, d.config.domain, d.clock.now());
  return { region, domain: d.config.domain, keyMatches: typeof held === 'string' && held.toLowerCase() === publicKeyHex(publicPem) };
}

async function send(d: PartnerDeps, r: { method: 'GET' | 'POST'; url: string; json?: unknown; headers: Record<string, string> }): Promise<OemResponse> {
  try {
    return await d.http.send({ ...r, timeoutMs: d.config.requestTimeoutMs, idempotent: r.method === 'GET' });
  } catch (err) {
    if (err instanceof OemTransportError) throw new VehicleError({ kind: 'timeout' }, `Tesla partner endpoint: ${err.message}`);
    throw err;
  }
}
