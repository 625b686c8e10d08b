import { ApiError } from '@opencar/core';
import type { Capability } from '@opencar/connectors';
import type { HttpMethod, VehicleRoute } from '../../route-spec.js';
import { BRAND_ENDPOINTS, BRAND_MAKES, type BrandEndpoint } from './brand-table.js';

function buildRoute(make: string, found: BrandEndpoint): VehicleRoute {
  const properties = Object.fromEntries(found.keys.map((k) => [k, {}]));
  return {
    name: `${make}:${found.method} ${found.path}`,
    method: found.method as HttpMethod,
    path: `/${make}/${found.path}`,
    permission: found.permission,
    capability: `brand:${make}` as Capability,
    connectorMethod: 'brandRequest',
    billable: true,
    requestClass: found.method === 'GET' ? 'data' : 'command',
    units: found.units,
    summary: found.summary,
    schema: { response: { 200: { type: 'object', properties } } },
    validate({ body }) {
      if (found.validate && found.method !== 'GET') {
        const problem = found.validate(body);
        if (problem) throw new ApiError('VALIDATION', { description: problem, detail: [{ field: 'body', message: problem }] });
      }
    },
    async handle({ connector, ctx, query, body }) {
      const reading = await connector.brandRequest!(ctx, make, {
        method: found.method, path: found.path, query: stringQuery(query), body: body ?? null,
      });
      return { body: reading.value, freshness: reading, woke: reading.woke };
    },
  };
}

const key = (make: string, method: string, path: string) => `${make} ${method.toUpperCase()} ${path}`;

/** Every brand route, built once at startup: `make METHOD path` → route-table row. */
const BRAND_ROUTES: ReadonlyMap<string, VehicleRoute> = new Map(
  BRAND_ENDPOINTS.flatMap((b) => b.makes.map((make) => [key(make, b.method, b.path), buildRoute(make, b)] as const)),
);

/**
 * Resolves `/{make}/{path}` to a route-table row. The make must be lower case: an upper-case make
 * is a PERMISSION error (wire-contract §5.8); unknown makes and paths are RESOURCE_NOT_FOUND.
 */
export function resolveBrandRoute(make: string, method: string, rawPath: string): VehicleRoute {
  const [pathOnly = '', queryString = ''] = rawPath.replace(/^\/+|\/+$/g, '').split('?');
  const path = pathOnly.replace(/\/+$/, '');
  if (make !== make.toLowerCase() && BRAND_MAKES.has(make.toLowerCase())) {
    throw new ApiError('PERMISSION', { description: 'Brand-specific paths take the make in lower case.' });
  }
  const route = BRAND_ROUTES.get(key(make, method, path));
  if (!route) throw new ApiError('RESOURCE_NOT_FOUND:PATH', { description: `No ${method.toUpperCase()} /${make}/${path} endpoint exists.` });
  if (!queryString) return route;
  // A query written into the path itself: merged under the request's own query.
  const extraQuery = Object.fromEntries(new URLSearchParams(queryString));
  return { ...route, handle: (call) => route.handle({ ...call, query: { ...extraQuery, ...call.query } }) };
}

function stringQuery(q: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(q ?? {})) if (v !== undefined) out[k] = String(v);
  return out;
}
