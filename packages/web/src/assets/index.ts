import type { FastifyInstance } from 'fastify';
import { sha256 } from '@opencar/core';
import { APP_CSS } from './app-css.js';
import { APP_JS } from './app-js.js';

export const ASSET_VERSION = sha256(APP_CSS + APP_JS).slice(0, 10);

/** Static CSS/JS of the two UIs, served from memory with long caching (the URL carries a version). */
export async function assetRoutes(app: FastifyInstance): Promise<void> {
  const cache = 'public, max-age=31536000, immutable';
  app.get('/web-assets/app.css', { schema: { hide: true } }, async (_req, reply) => reply.type('text/css; charset=utf-8').header('cache-control', cache).send(APP_CSS));
  app.get('/web-assets/app.js', { schema: { hide: true } }, async (_req, reply) => reply.type('text/javascript; charset=utf-8').header('cache-control', cache).send(APP_JS));
}
