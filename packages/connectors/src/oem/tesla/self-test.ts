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
  /** `fail`: the connector cannot work as configured; `warn`: a part of it will not. */
  status: 'ok' | 'warn' | 'fail';
  message: string;
  /** What the operator should do. */
  fix?: string;
}

export interface SelfTestInput {
  config: TeslaConfig | undefined;
  repo: OemRepo;
  publicUrl: string;
}

export async function teslaSelfTest({ config, repo, publicUrl }: SelfTestInput): Promise<SelfTestCheck[]> {
  if (!config) {
    return [{ check: 'credentials', status: 'warn', message: 'OPENCAR_TESLA_CLIENT_ID is not set: Tesla is unavailable in live mode.', fix: 'register an application on developer.tesla.com and set OPENCAR_TESLA_CLIENT_ID (see docs/connectors/tesla.md)' }];
  }
  const out: SelfTestCheck[] = [];
  const add = (check: string, status: SelfTestCheck['status'], message: string, fix?: string) => out.push({ check, status, message, ...(fix ? { fix } : {}) });

  add('credentials', 'ok', `client id ${config.clientId.slice(0, 8)}…`);
  if (!config.clientSecret) {
    add('client secret', 'warn', 'OPENCAR_TESLA_CLIENT_SECRET is not set: the app signs in as a public (PKCE) application and cannot register as a partner.', 'set OPENCAR_TESLA_CLIENT_SECRET unless the application is registered at Tesla as an open-source (public) app');
  }
  for (const r of TESLA_REGIONS) {
    const u = new URL(config.fleetUrls[r]);
    add(`region ${r}`, u.protocol === 'https:' ? 'ok' : 'warn', `${config.fleetUrls[r]}${u.protocol === 'https:' ? '' : ' (not https)'}`, u.protocol === 'https:' ? undefined : `set OPENCAR_TESLA_FLEET_URL_${r.toUpperCase()} to Tesla's https base`);
  }
  const pub = new URL(publicUrl);
  if (pub.protocol !== 'https:') add('public URL', 'warn', `PUBLIC_URL is ${publicUrl}: Tesla only redirects to and fetches keys from https origins.`, 'serve opencar over https and set PUBLIC_URL to that origin');
  if (pub.hostname !== config.domain && !pub.hostname.endsWith(`.${config.domain}`)) {
    add('domain', 'warn', `Tesla fetches the public key from https://${config.domain}${PUBLIC_KEY_PATH}, but PUBLIC_URL is ${publicUrl}.`, `serve that path on ${config.domain}, or set OPENCAR_TESLA_DOMAIN to PUBLIC_URL's host`);
  }

  const key = await repo.key(CONNECTOR);
  if (key) add('key pair', 'ok', `public key served at ${publicUrl}${PUBLIC_KEY_PATH}`);
  else add('key pair', config.commands ? 'fail' : 'warn', 'no key pair for signed commands and partner registration', 'run `npm run tesla -- keys`, then `npm run tesla -- register --region <region>`');

  const registered = new Set((await repo.registeredRegions(CONNECTOR)).map((r) => r.region));
  const missing = TESLA_REGIONS.filter((r) => !registered.has(r));
  add('partner registration', missing.length === 0 ? 'ok' : 'warn', missing.length === 0 ? 'registered in every region' : `not registered in ${missing.join(', ')}`,
    missing.length === 0 ? undefined : 'run `npm run tesla -- register --region <region>` for each region where owners have accounts');

  if (config.commands) {
    if (!config.commandProxy) {
      add('command proxy', 'warn', 'OPENCAR_TESLA_PROXY_URL is not set: vehicles that require signed commands (most since 2021) cannot be controlled', 'run tesla-http-proxy with the exported key (`npm run tesla -- export-key`) and set OPENCAR_TESLA_PROXY_URL and OPENCAR_TESLA_PROXY_CA_FILE');
    } else {
      add('command proxy', 'ok', config.commandProxy.url);
      if (!config.commandProxy.caFile) {
        add('proxy CA', 'warn', 'OPENCAR_TESLA_PROXY_CA_FILE is not set: the proxy\'s certificate must be trusted by the system store', 'set OPENCAR_TESLA_PROXY_CA_FILE to the CA (or self-signed certificate) of the proxy');
      } else {
        try {
          const cert = new X509Certificate(readFileSync(config.commandProxy.caFile));
          add('proxy CA', 'ok', `${config.commandProxy.caFile} (${cert.subject.replace(/\n/g, ', ')})`);
        } catch (err) {
          add('proxy CA', 'fail', `OPENCAR_TESLA_PROXY_CA_FILE ${config.commandProxy.caFile} is not a readable PEM certificate: ${(err as Error).message}`, 'point it at the PEM certificate the proxy serves (or its CA)');
        }
      }
    }
  }
  return out;
}
