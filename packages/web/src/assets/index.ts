import type { FastifyInstance } from 'fastify';
import { sha256 } from '@opencar/core';
import { APP_CSS } from './app-css.js';
import { APP_JS } from './app-js.js';
import { SIM_MAP_JS } from './sim-map-js.js';
import { mapFiles } from './map-files.js';

export const ASSET_VERSION = sha256(APP_CSS + APP_JS + SIM_MAP_JS).slice(0, 10);

/** Static CSS/JS of the two UIs and the console map's files, served from memory with long caching (the URL carries a version). */
export async function assetRoutes(app: FastifyInstance): Promise<void> {
  const cache = 'public, max-age=31536000, immutable';
  const js = 'text/javascript; charset=utf-8';
  app.get('/web-assets/app.css', { schema: { hide: true } }, async (_req, reply) => reply.type('text/css; charset=utf-8').header('cache-control', cache).send(APP_CSS));
  app.get('/web-assets/app.js', { schema: { hide: true } }, async (_req, reply) => reply.type(js).header('cache-control', cache).send(APP_JS));
  app.get('/web-assets/sim-map.js', { schema: { hide: true } }, async (_req, reply) => reply.type(js).header('cache-control', cache).send(SIM_MAP_JS));
  app.get('/web-assets/leaflet/leaflet.js', { schema: { hide: true } }, async (_req, reply) => reply.type(js).header('cache-control', cache).send(mapFiles().leafletJs));
  app.get('/web-assets/leaflet/leaflet.css', { schema: { hide: true } }, async (_req, reply) => reply.type('text/css; charset=utf-8').header('cache-control', cache).send(mapFiles().leafletCss));
  app.get('/web-assets/world-110m.json', { schema: { hide: true } }, async (_req, reply) => reply.type('application/json; charset=utf-8').header('cache-control', cache).send(mapFiles().world));
}

/** Versioned URLs of the console map's files. */
export const mapUrls = () => {
  const v = `${mapFiles().version}${ASSET_VERSION}`;
  return { css: `/web-assets/leaflet/leaflet.css?v=${v}`, leaflet: `/web-assets/leaflet/leaflet.js?v=${v}`, script: `/web-assets/sim-map.js?v=${v}`, world: `/web-assets/world-110m.json?v=${v}` };
};
