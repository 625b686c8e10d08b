import { readFileSync } from 'node:fs';
import { X509Certificate } from 'node:crypto';
import { TESLA_REGIONS, type TeslaConfig } from '@opencar/core';
import type { OemRepo } from '@opencar/storage';
import { PUBLIC_KEY_PATH } from './keys.js';
import { CONNECTOR } from './services.js';

/**
 * The Tesla connector's start-up self-test (also run by the operator CLI's `doctor`): it checks the
 * configuration and the stored setup without calling Tesla, and names what is missing.
 */
export interface SelfTestCheck {
  check: string;
  /** `error`: the connector cannot work as configured; `warning`: a part of it will not. */
  status: 'ok' | 'warning' | 'error';
  detail: string;
}

export interface SelfTestInput {
  config: TeslaConfig | undefined;
  repo: OemRepo;
  publicUrl: string;
}

export async function teslaSelfTest({ config, repo, publicUrl }: SelfTestInput): Promise<SelfTestCheck[]> {
  if (!config) return [{ check: 'credentials', status: 'warning', detail: 'OPENCAR_TESLA_CLIENT_ID is not set: Tesla is unavailable in live mode.' }];
  const out: SelfTestCheck[] = [];
  const add = (check: string, status: SelfTestCheck['status'], detail: string) => out.push({ check, status, detail });

  add('credentials', 'ok', `client id ${config.clientId.slice(0, 8)}…`);
  if (!config.clientSecret) {
    add('client secret', 'warning', 'OPENCAR_TESLA_CLIENT_SECRET is not set: the app signs in as a public (PKCE) application and cannot register as a partner.');
  }
  for (const r of TESLA_REGIONS) {
    const u = new URL(config.fleetUrls[r]);
    add(`region ${r}`, u.protocol === 'https:' ? 'ok' : 'warning', `${config.fleetUrls[r]}${u.protocol === 'https:' ? '' : ' (not https)'}`);
  }
  const pub = new URL(publicUrl);
  if (pub.protocol !== 'https:') add('public URL', 'warning', `PUBLIC_URL is ${publicUrl}: Tesla only redirects to and fetches keys from https origins.`);
  if (pub.hostname !== config.domain && !pub.hostname.endsWith(`.${config.domain}`)) {
    add('domain', 'warning', `Tesla fetches the public key from https://${config.domain}${PUBLIC_KEY_PATH}, but PUBLIC_URL is ${publicUrl}: serve that path on ${config.domain}.`);
  }

  const key = await repo.key(CONNECTOR);
  if (key) add('key pair', 'ok', `public key served at ${publicUrl}${PUBLIC_KEY_PATH}`);
  else add('key pair', config.commands ? 'error' : 'warning', 'no key pair: run `npm run tesla -- keys`, then register the application (`npm run tesla -- register`).');

  const registered = new Set((await repo.registeredRegions(CONNECTOR)).map((r) => r.region));
  const missing = TESLA_REGIONS.filter((r) => !registered.has(r));
  add('partner registration', missing.length === 0 ? 'ok' : 'warning',
    missing.length === 0 ? 'registered in every region' : `not registered in ${missing.join(', ')}: run \`npm run tesla -- register --region <region>\` for each region with owners.`);

  if (config.commands) {
    if (!config.commandProxy) {
      add('command proxy', 'warning', 'OPENCAR_TESLA_PROXY_URL is not set: vehicles that require signed commands (most since 2021) cannot be controlled.');
    } else {
      add('command proxy', 'ok', config.commandProxy.url);
      if (!config.commandProxy.caFile) {
        add('proxy CA', 'warning', 'OPENCAR_TESLA_PROXY_CA_FILE is not set: the proxy\'s certificate must then be trusted by the system store.');
      } else {
        try {
          const cert = new X509Certificate(readFileSync(config.commandProxy.caFile));
          add('proxy CA', 'ok', `${config.commandProxy.caFile} (${cert.subject.replace(/\n/g, ', ')})`);
        } catch (err) {
          add('proxy CA', 'error', `OPENCAR_TESLA_PROXY_CA_FILE ${config.commandProxy.caFile} is not a readable PEM certificate: ${(err as Error).message}`);
        }
      }
    }
  }
  return out;
}
