import type { FastifyInstance } from 'fastify';
import { ApiError } from '@opencar/core';

const SUPPORTED = /^\/(v2\.0|v3)(\/|$)/;
const VERSIONED = /^\/v[^/]*(\/|$)/;
/** Paths that belong to the versioned API even without a version segment. */
const API_RESOURCES = /^\/(vehicles|user|compatibility|management)(\/|$)/;

/**
 * Unknown path → RESOURCE_NOT_FOUND:PATH; a missing or unsupported version segment
 * (`/v1.0/…`, `/v9/…`, `/vehicles`) → RESOURCE_NOT_FOUND:VERSION.
 */
export function notFound(app: FastifyInstance): void {
  app.setNotFoundHandler(async (req) => {
    const path = req.url.split('?')[0] ?? '/';
    if ((VERSIONED.test(path) && !SUPPORTED.test(path)) || API_RESOURCES.test(path)) {
      throw new ApiError('RESOURCE_NOT_FOUND:VERSION');
    }
    throw new ApiError('RESOURCE_NOT_FOUND:PATH');
  });
}
