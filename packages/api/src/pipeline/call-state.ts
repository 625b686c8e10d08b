import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { RequestClass } from '@opencar/metering';
import type { ApiDeps } from '../deps.js';

/** What the ledger needs to know about a request once it is authenticated. */
export interface CallState {
  appId: string;
  userId: string | null;
  vehicleId: string | null;
  /** Route pattern, e.g. `GET /v2.0/vehicles/:id/odometer`. */
  endpoint: string;
  /** Units billed if the request succeeds. */
  units: number;
  requestClass: RequestClass;
  woke: boolean;
}

declare module 'fastify' {
  interface FastifyRequest {
    apiCall: CallState | null;
  }
}

/**
 * Every authenticated request lands in the request ledger before its response leaves: `record`
 * resolves once the entry is durable, so an acknowledged request is never missing. Failed requests
 * are logged with zero units (never billed).
 */
export function recordCalls(app: FastifyInstance, deps: Pick<ApiDeps, 'metering' | 'clock'>): void {
  app.decorateRequest('apiCall', null);
  // Callback style: no async layer per request around the ledger's own promise.
  app.addHook('onSend', (req, reply, payload, done) => {
    const s = req.apiCall;
    if (!s) { done(null, payload); return; }
    const status = reply.statusCode;
    const at = deps.clock.now();
    deps.metering.record({
      requestId: req.id, at, appId: s.appId, vehicleId: s.vehicleId, userId: s.userId,
      endpoint: s.endpoint, method: req.method, status, latencyMs: Math.round(reply.elapsedTime * 100) / 100,
      units: status >= 200 && status < 300 ? s.units : 0, woke: s.woke, requestClass: s.requestClass,
    }).then(() => {
      handOverDetail(deps, req, s.appId, status, reply.getHeaders(), payload, at);
      // As Fastify does for an async hook: a throw while sending goes to its error handling.
      try { done(null, payload); } catch (err) { done(err as Error); }
    }, done);
  });
}

/**
 * Gives the request log the request's and response's headers and bodies (queued: masking and the
 * write happen off the request path). Never throws: the response does not depend on it. The header
 * objects are queued as they are, not copied: the request's headers never change once it is
 * answered, and `responseHeaders` must be an object nobody changes afterwards (Fastify's
 * `reply.getHeaders()` returns a fresh one). `at`: the ledger entry's time when there is one.
 */
export function handOverDetail(deps: Pick<ApiDeps, 'metering' | 'clock'>, req: FastifyRequest, appId: string, status: number, responseHeaders: Record<string, unknown>, payload: unknown, at = deps.clock.now()): void {
  if (!deps.metering.recordDetail) return;
  try {
    deps.metering.recordDetail({
      requestId: req.id, appId, at, method: req.method, url: req.url, requestHeaders: req.headers, requestBody: req.body,
      status, responseHeaders, responseBody: payload,
    });
  } catch { /* detail is best effort */ }
}
