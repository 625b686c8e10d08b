import { TESLA_REGIONS, type TeslaConfig, type TeslaRegion } from '@opencar/core';

/**
 * Tesla's regional Fleet API bases. The operator may point each region at another host (a test
 * double); a base Tesla names in a wrong-region answer is accepted only when it is one of the
 * configured bases or Tesla's own host for a region, and is then mapped onto the configured one,
 * so an access token is never sent anywhere the operator did not configure.
 */
const TESLA_HOSTS: Record<TeslaRegion, string> = {
  na: 'fleet-api.prd.na.vn.cloud.tesla.com',
  eu: 'fleet-api.prd.eu.vn.cloud.tesla.com',
  cn: 'fleet-api.prd.cn.vn.cloud.tesla.cn',
};

const trim = (u: string) => u.replace(/\/+$/, '');

export function regionOfBase(config: Pick<TeslaConfig, 'fleetUrls'>, base: string): TeslaRegion | undefined {
  let host: string;
  try { host = new URL(base).host; } catch { return undefined; }
  return TESLA_REGIONS.find((r) => trim(config.fleetUrls[r]) === trim(base) || TESLA_HOSTS[r] === host || new URL(config.fleetUrls[r]).host === host);
}

/** The configured base for a base URL Tesla named, or undefined when it is not a Fleet API region. */
export function knownBase(config: Pick<TeslaConfig, 'fleetUrls'>, named: string): string | undefined {
  const r = regionOfBase(config, named);
  return r ? config.fleetUrls[r] : undefined;
}

/** Tesla prefixes authorization codes and refresh tokens with the account's region (`NA_…`, `EU_…`). */
export function regionOfCode(code: string): TeslaRegion | undefined {
  const p = code.split('_')[0]?.toLowerCase();
  return (TESLA_REGIONS as readonly string[]).includes(p ?? '') ? p as TeslaRegion : undefined;
}
