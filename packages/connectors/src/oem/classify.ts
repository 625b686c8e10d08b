import { VehicleError, type VehicleErrorDetail, type VehicleErrorKind } from '../errors.js';
import type { OemResponse } from './http.js';

/**
 * The typed mapping from OEM answers to connector outcomes. Each OEM declares its rules as data
 * (status, optional body text, verdict); the first matching rule decides, and an answer no rule
 * knows becomes UPSTREAM:UNKNOWN_ISSUE, so nothing an OEM sends reaches an app unmapped.
 */
export type OemVerdict =
  /** The access token expired or was revoked: refresh once, then repeat the request. */
  | { kind: 'refresh' }
  /** The account lives in another region: repeat at `baseUrl` (when the OEM named it) and remember it. */
  | { kind: 'wrong_region'; baseUrl: string | undefined }
  /** The vehicle is asleep or offline: the connector may wake it (when allowed) and repeat. */
  | { kind: 'asleep' }
  /** The OEM throttled the caller for `retryAfter` seconds. */
  | { kind: 'rate_limited'; retryAfter: number }
  | { kind: 'fail'; failure: VehicleErrorKind; detail?: VehicleErrorDetail; /** Logged for the operator. */ operator?: string };

export interface OemErrorRule {
  /** Short name for logs and tests, e.g. `401 mobile_access_disabled`. */
  name: string;
  status: number | readonly [number, number];
  /** Matched against the body's error text (case-insensitive), when given. */
  body?: RegExp;
  verdict: OemVerdict | ((res: OemResponse) => OemVerdict);
}

/** The error text of a JSON error body (`error`, `error_description`, `message`), or the raw text. */
export function errorText(res: OemResponse): string {
  const j = res.json as Record<string, unknown> | undefined;
  if (j && typeof j === 'object') {
    const parts = ['error', 'error_description', 'message'].map((k) => j[k]).filter((v): v is string => typeof v === 'string' && v !== '');
    if (parts.length) return parts.join(' ');
  }
  return res.text.slice(0, 500);
}

function statusMatches(rule: OemErrorRule, status: number): boolean {
  return typeof rule.status === 'number' ? rule.status === status : status >= rule.status[0] && status <= rule.status[1];
}

/** The verdict for a non-success answer. */
export function classify(rules: readonly OemErrorRule[], res: OemResponse): OemVerdict & { rule: string } {
  const text = errorText(res);
  for (const rule of rules) {
    if (!statusMatches(rule, res.status)) continue;
    if (rule.body && !rule.body.test(text)) continue;
    const v = typeof rule.verdict === 'function' ? rule.verdict(res) : rule.verdict;
    return { ...v, rule: rule.name };
  }
  return { kind: 'fail', failure: { kind: 'upstream', code: 'UNKNOWN_ISSUE' }, operator: `unexpected answer ${res.status}: ${text.slice(0, 200)}`, rule: 'unmapped' };
}

/** A failing verdict as the connector error it stands for. */
export function failureOf(v: OemVerdict & { rule?: string }): VehicleError {
  switch (v.kind) {
    case 'fail': return new VehicleError(v.failure, v.operator ?? v.rule, { ...v.detail, oemRule: v.rule });
    case 'rate_limited': return new VehicleError({ kind: 'upstream_rate_limit', retryAfter: v.retryAfter }, v.rule);
    case 'asleep': return new VehicleError({ kind: 'asleep' }, v.rule);
    case 'refresh': return new VehicleError({ kind: 'oem_auth_failed' }, v.rule);
    case 'wrong_region': return new VehicleError({ kind: 'upstream', code: 'UNKNOWN_ISSUE' }, `${v.rule}: the OEM keeps sending the account to another region`);
  }
}

/** Seconds from a `retry-after` header (seconds or an HTTP date), else from text like "Retry in 37829 seconds". */
export function retryAfterSeconds(res: OemResponse, now: number, fallback: number): number {
  const h = res.headers['retry-after'];
  if (h) {
    if (/^\d+$/.test(h.trim())) return Math.max(1, Number(h.trim()));
    const at = Date.parse(h);
    if (Number.isFinite(at)) return Math.max(1, Math.ceil((at - now) / 1000));
  }
  const m = /retry in (\d+) ?s/i.exec(errorText(res));
  return m ? Math.max(1, Number(m[1])) : fallback;
}
