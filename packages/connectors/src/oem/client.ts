import type { Clock } from '@opencar/core';
import { VehicleError } from '../errors.js';
import { classify, failureOf, retryAfterSeconds, type OemErrorRule } from './classify.js';
import { OemTransportError, type OemHttp, type OemResponse } from './http.js';
import type { OemQuota, QuotaClass } from './quota.js';
import type { OemSession, OemTokens } from './tokens.js';

/** Where an OEM connector reports what only the operator can fix (missing registration, payment …). */
export interface OemLog {
  warn(obj: Record<string, unknown>, msg: string): void;
}

export interface OemApiClientOptions {
  /** Connector name, e.g. `tesla` (logs, quota keys). */
  name: string;
  http: OemHttp;
  tokens: OemTokens;
  quota: OemQuota;
  rules: readonly OemErrorRule[];
  /** Whether the OEM bills an answer with this status (counted against the quota). */
  billed: (status: number) => boolean;
  /** The account's API base URL. */
  baseOf: (accountId: string) => Promise<string>;
  /** A base URL the OEM named as the account's region, mapped onto the configured bases; undefined when it is none of them. */
  knownBase: (named: string) => string | undefined;
  rememberBase: (accountId: string, baseUrl: string) => Promise<void>;
  /** Deadline of one request (all attempts). */
  timeoutMs: number;
  clock: Clock;
  log?: OemLog;
}

export interface OemCall {
  method: 'GET' | 'POST';
  path: string;
  query?: Record<string, string>;
  json?: unknown;
  session: OemSession;
  /** Quota subject (e.g. the VIN) and the budgets the call spends. */
  subject: string;
  classes: readonly QuotaClass[];
  idempotent: boolean;
  /** Send to this base instead of the account's (e.g. the command proxy); region redirects then do not apply. */
  base?: string;
  /** The HTTP client for this call when it differs (e.g. one that trusts the proxy's CA). */
  http?: OemHttp;
  signal?: AbortSignal;
  /** Epoch ms on the platform clock by which the call must settle. */
  deadline?: number;
}

export interface OemCallResult {
  res: OemResponse;
  /** The session after any refresh during the call. */
  session: OemSession;
}

/**
 * One authenticated OEM request: quota first, then the request at the account's regional base,
 * then the OEM's error rules. A rejected access token is refreshed once and the request repeated;
 * a wrong-region answer moves the account to the base the OEM names (only a configured base) and
 * repeats once; a lock-out is remembered. Only 2xx answers return; everything else throws a typed
 * VehicleError.
 */
export class OemApiClient {
  constructor(private readonly o: OemApiClientOptions) {}

  async call(c: OemCall): Promise<OemCallResult> {
    let session = c.session;
    let refreshed = false;
    let moved = false;
    for (;;) {
      const base = c.base ?? await this.o.baseOf(session.accountId);
      const res = await this.send(c, base, session);
      if (res.status >= 200 && res.status < 300) return { res, session };
      const v = classify(this.o.rules, res);
      if (v.kind === 'refresh' && !refreshed) {
        refreshed = true;
        session = await this.o.tokens.renew(session);
        continue;
      }
      if (v.kind === 'wrong_region' && !moved && !c.base) {
        const target = v.baseUrl ? this.o.knownBase(v.baseUrl) : undefined;
        if (target && target !== base) {
          moved = true;
          await this.o.rememberBase(session.accountId, target);
          continue;
        }
        this.o.log?.warn({ connector: this.o.name, named: v.baseUrl }, 'OEM named a region base that is not configured');
      }
      if (v.kind === 'rate_limited') await this.o.quota.lockOut(c.subject, v.retryAfter);
      if (v.kind === 'fail' && v.operator) this.o.log?.warn({ connector: this.o.name, rule: v.rule, status: res.status, path: c.path }, v.operator);
      throw failureOf(v);
    }
  }

  private async send(c: OemCall, base: string, session: OemSession): Promise<OemResponse> {
    const ticket = await this.o.quota.reserve(c.subject, c.classes);
    const qs = c.query && Object.keys(c.query).length ? `?${new URLSearchParams(c.query).toString()}` : '';
    const remaining = c.deadline !== undefined ? c.deadline - this.o.clock.now() : Infinity;
    const timeoutMs = Math.min(this.o.timeoutMs, remaining);
    if (timeoutMs <= 0) {
      await this.o.quota.refund(ticket);
      throw new VehicleError({ kind: 'timeout' }, 'the request deadline passed before the OEM was called');
    }
    let res: OemResponse;
    try {
      res = await (c.http ?? this.o.http).send({
        method: c.method, url: `${base}${c.path}${qs}`, json: c.json, idempotent: c.idempotent, timeoutMs, signal: c.signal,
        headers: { authorization: `Bearer ${session.accessToken}` },
      });
    } catch (err) {
      await this.o.quota.refund(ticket);
      if (err instanceof OemTransportError) {
        throw new VehicleError(err.reason === 'too_large' ? { kind: 'upstream', code: 'INVALID_DATA' } : { kind: 'timeout' }, err.message);
      }
      throw err;
    }
    if (!this.o.billed(res.status)) await this.o.quota.refund(ticket);
    if (res.status === 429) {
      const seconds = retryAfterSeconds(res, Date.now(), 60);
      return { ...res, headers: { ...res.headers, 'retry-after': String(seconds) } };
    }
    return res;
  }
}

/** The `response` member of a JSON envelope (`{"response": …}`), or UPSTREAM:INVALID_DATA. */
export function envelope(res: OemResponse): unknown {
  const j = res.json as { response?: unknown } | undefined;
  if (!j || typeof j !== 'object' || !('response' in j)) {
    throw new VehicleError({ kind: 'upstream', code: 'INVALID_DATA' }, `OEM answer ${res.status} is not a JSON envelope`);
  }
  return j.response;
}
