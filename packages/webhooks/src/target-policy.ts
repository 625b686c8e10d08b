import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

/** A resolved address of a receiver's host name. */
export interface ResolvedAddress { address: string; family: 4 | 6 }

/** Resolves a host name to every address it has (dns.lookup by default; tests inject their own). */
export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>;

export interface TargetPolicy {
  /** Loopback and private ranges (RFC 1918, unique-local, carrier-grade NAT) may be targeted. */
  allowPrivate: boolean;
  resolve?: Resolver;
}

/** Where a webhook may be sent: the one checked address the connection must go to, or why not. */
export type TargetCheck =
  | { ok: true; hostname: string; address: string; family: 4 | 6 }
  | { ok: false; reason: string };

/** Cloud metadata services that sit outside the link-local range (Alibaba; AWS over IPv6). */
const METADATA = new Set(['100.100.100.200', 'fd00:ec2::254']);
const PRIVATE_RANGES = new Set(['loopback', 'private', 'uniqueLocal', 'carrierGradeNat']);

export type AddressKind = 'public' | 'private' | 'forbidden';

/**
 * Classifies one address. Public unicast is fine; loopback and private ranges need the operator's
 * consent; link-local (which holds 169.254.169.254, the metadata service of most clouds), metadata
 * addresses, unspecified (0.0.0.0 reaches the local host), multicast, broadcast, reserved and the
 * IPv6 transition ranges that embed another address are always refused. IPv4-mapped IPv6 addresses
 * are judged as the IPv4 address they carry.
 */
export function addressKind(address: string): { kind: AddressKind; range: string } {
  let ip: ipaddr.IPv4 | ipaddr.IPv6;
  try { ip = ipaddr.process(address); } catch { return { kind: 'forbidden', range: 'invalid' }; }
  const range = ip.range();
  if (METADATA.has(ip.toNormalizedString()) || METADATA.has(ip.toString())) return { kind: 'forbidden', range: 'metadata' };
  if (range === 'unicast') return { kind: 'public', range };
  return { kind: PRIVATE_RANGES.has(range) ? 'private' : 'forbidden', range };
}

const defaultResolver: Resolver = async (hostname) =>
  (await lookup(hostname, { all: true, verbatim: true })).map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));

/**
 * Resolves the receiver's host and checks every address it resolves to (one forbidden record
 * refuses the host: a name must not mix public and internal addresses). The caller connects to
 * the returned address only, so a second, different DNS answer (rebinding) is never used.
 */
export function checkTarget(url: URL, policy: TargetPolicy): Promise<TargetCheck> {
  return checkHostname(url.hostname, policy);
}

/** checkTarget for a bare host name or address literal (IPv6 with or without brackets). */
export async function checkHostname(host: string, policy: TargetPolicy): Promise<TargetCheck> {
  const hostname = host.startsWith('[') ? host.slice(1, -1) : host;
  let addresses: ResolvedAddress[];
  if (isIP(hostname)) addresses = [{ address: hostname, family: isIP(hostname) === 6 ? 6 : 4 }];
  else {
    try { addresses = await (policy.resolve ?? defaultResolver)(hostname); } catch { return { ok: false, reason: `the host ${hostname} cannot be resolved` }; }
  }
  if (addresses.length === 0) return { ok: false, reason: `the host ${hostname} has no address` };
  for (const a of addresses) {
    const { kind, range } = addressKind(a.address);
    if (kind === 'forbidden') return { ok: false, reason: `${hostname} points to ${a.address}, a ${range} address, which webhooks never target` };
    if (kind === 'private' && !policy.allowPrivate) {
      return { ok: false, reason: `${hostname} points to ${a.address}, a ${range} address; webhooks target public addresses unless the operator sets OPENCAR_WEBHOOK_ALLOW_PRIVATE=true` };
    }
  }
  return { ok: true, hostname, address: addresses[0]!.address, family: addresses[0]!.family };
}
