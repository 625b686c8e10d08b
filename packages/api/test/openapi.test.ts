import { describe, expect, it } from 'vitest';
import Fastify from 'fastify';
import { openApiRoutes, registerOpenApi } from '../src/index.js';

async function app() {
  const a = Fastify();
  await registerOpenApi(a, { publicUrl: 'http://opencar.test' });
  await a.register(openApiRoutes);
  a.get('/v2.0/vehicles/:id/odometer', {
    schema: {
      tags: ['Vehicles'], summary: 'Odometer <reading>',
      params: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] },
      response: { 200: { type: 'object', properties: { distance: { type: 'number' } }, required: ['distance'] } },
    },
  }, async () => ({ distance: 1 }));
  a.get('/internal', { config: { internal: true } }, async () => ({}));
  return a;
}

describe('OpenAPI document', () => {
  it('serves OpenAPI 3.1 generated from route schemas, hiding internal routes', async () => {
    const a = await app();
    const res = await a.inject('/openapi.json');
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.paths['/v2.0/vehicles/{id}/odometer'].get.summary).toBe('Odometer <reading>');
    expect(doc.paths['/internal']).toBeUndefined();
    expect(doc.paths['/openapi.json']).toBeUndefined();
    await a.close();
  });

  it('renders a browsable reference page without external assets', async () => {
    const a = await app();
    const res = await a.inject('/docs/api');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.body).toContain('/v2.0/vehicles/{id}/odometer');
    expect(res.body).toContain('Odometer &lt;reading&gt;');
    expect(res.body).not.toMatch(/<script[^>]+src=|src="http/);
    await a.close();
  });
});

describe('OpenAPI document of the vehicle API', () => {
  it('documents wildcard brand paths with declared path parameters', async () => {
    const { apiApp, world } = await import('./fakes.js');
    const a = await apiApp(world(), { docs: true });
    const doc = (await a.inject('/openapi.json')).json();
    const brand = doc.paths['/v2.0/vehicles/{id}/{make}/{path}'];
    expect(brand.get.parameters.map((p: { name: string }) => p.name).sort()).toEqual(['id', 'make', 'path']);
    for (const [path, ops] of Object.entries(doc.paths as Record<string, Record<string, { parameters?: { name: string; in: string }[] }>>)) {
      const declared = path.match(/\{[^}]+\}/g)?.map((p) => p.slice(1, -1)) ?? [];
      for (const op of Object.values(ops)) {
        const names = (op.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name);
        expect(names.sort(), path).toEqual([...declared].sort());
      }
    }
    await a.close();
  });
});
