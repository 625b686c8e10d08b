import type { FastifyRequest } from 'fastify';
import { ApiError } from '@opencar/core';
import type { ApiDeps } from '../../deps.js';
import { authenticateV3 } from '../v3/v3-access.js';

/**
 * Management v3 takes the application token (client credentials) and is free: returns the app's
 * id after admitting the call (its ratelimit headers go on the reply).
 */
export async function managementCaller(deps: ApiDeps, req: FastifyRequest, reply: { headers(h: Record<string, string>): unknown }, endpoint: string): Promise<string> {
  const caller = await authenticateV3(deps, req);
  if (caller.kind !== 'app') {
    throw new ApiError('AUTHENTICATION', { description: 'Management v3 takes an application token: POST /oauth2/token with grant_type=client_credentials.' });
  }
  req.apiCall = { appId: caller.app.appId, userId: null, vehicleId: null, endpoint, units: 0, requestClass: 'free', woke: false };
  reply.headers(await deps.metering.admit({ appId: caller.app.appId, endpoint, units: 0, requestId: req.id }));
  return caller.app.appId;
}

type Query = Record<string, unknown>;

/** Refuses query parameters other than `allowed` and repeated ones. */
export function checkQuery(query: Query, allowed: readonly string[]): void {
  for (const k of Object.keys(query)) {
    if (!allowed.includes(k)) throw new ApiError('VALIDATION:INVALID_INPUT_FORMAT', { description: `Unknown query parameter ${k}; use ${allowed.join(', ')}.` });
    if (typeof query[k] !== 'string') throw new ApiError('VALIDATION:INVALID_INPUT_FORMAT', { description: `Send ${k} once.` });
  }
}

/** `true`/`false` of a boolean filter, undefined when absent. */
export function booleanFilter(query: Query, name: string): boolean | undefined {
  const v = query[name];
  if (v === undefined || v === '') return undefined;
  if (v === 'true') return true;
  if (v === 'false') return false;
  throw new ApiError('VALIDATION:INVALID_INPUT_FORMAT', { description: `${name} must be true or false.` });
}

/** The `data.attributes` object of a JSON:API request body (VALIDATION when the body has another shape). */
export function attributesOf(body: unknown): Record<string, unknown> {
  const data = (body as { data?: unknown } | null | undefined)?.data;
  const attributes = (data as { attributes?: unknown } | null | undefined)?.attributes;
  if (typeof attributes !== 'object' || attributes === null || Array.isArray(attributes)) {
    throw new ApiError('VALIDATION:INVALID_INPUT_FORMAT', { description: 'The body must be JSON:API: {"data": {"attributes": {…}}}.', detail: [{ field: '/data/attributes', message: 'is required' }] });
  }
  return attributes as Record<string, unknown>;
}
