import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp } from '../../../apps/server/test/helpers.js';
import { PAGE_ROUTE, pageRoutes } from '../src/index.js';

/** The whole platform's OpenAPI document: every operation is tagged, summarised and declares its path parameters. */
type Op = { tags?: string[]; summary?: string; parameters?: { name: string; in: string }[] };
let t: Awaited<ReturnType<typeof testApp>>;
let doc: { openapi: string; tags: { name: string }[]; paths: Record<string, Record<string, Op>> };

beforeAll(async () => {
  t = await testApp();
  doc = (await t.app.inject('/openapi.json')).json();
});
afterAll(async () => t?.close());

describe('platform OpenAPI document', () => {
  it('is OpenAPI 3.1 and covers the vehicle API, v3, compatibility and management', () => {
    expect(doc.openapi).toBe('3.1.0');
    for (const p of ['/v2.0/vehicles', '/v2.0/user', '/v2.0/vehicles/{id}/odometer', '/v2.0/vehicles/{id}/batch', '/v3/vehicles/{id}/signals/{code}',
      '/v2.0/compatibility', '/v2.0/compatibility/matrix', '/v2.0/management/connections']) {
      expect(doc.paths[p], p).toBeDefined();
    }
  });

  it('tags and summarises every operation and declares every path parameter', () => {
    const tagNames = new Set(doc.tags.map((x) => x.name));
    for (const [path, ops] of Object.entries(doc.paths)) {
      const declared = (path.match(/\{[^}]+\}/g) ?? []).map((p) => p.slice(1, -1)).sort();
      for (const [method, op] of Object.entries(ops)) {
        const where = `${method.toUpperCase()} ${path}`;
        expect(op.summary, where).toEqual(expect.any(String));
        expect(op.tags?.length, where).toBeGreaterThan(0);
        for (const tag of op.tags ?? []) expect(tagNames.has(tag), `${where} tag ${tag} is described`).toBe(true);
        expect((op.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name).sort(), where).toEqual(declared);
      }
    }
  });

  it('renders the reference page from the same document', async () => {
    const page = await t.app.inject('/docs/api');
    expect(page.statusCode).toBe(200);
    for (const path of Object.keys(doc.paths).slice(0, 20)) expect(page.body).toContain(path.replace(/&/g, '&amp;'));
    expect(page.body).not.toMatch(/<script[^>]+src=|<link[^>]+href="https?:/);
  });

  it('lists only the public API: no page of the dashboard, the owner portal or the Connect flow', () => {
    const paths = Object.keys(doc.paths);
    const roots = [...new Set(paths.map((p) => `/${p.split('/')[1]}`))].sort();
    expect(roots).toEqual(['/.well-known', '/battery-capacity', '/oauth', '/oauth2', '/simulator', '/v2.0', '/v3']);
    expect(paths.filter((p) => PAGE_ROUTE.test(p))).toEqual([]);
    for (const p of ['/oauth/authorize', '/oauth/reauthenticate', '/oauth/token', '/oauth2/token']) expect(doc.paths[p], p).toBeDefined();
    // The pages exist (and are fuzzed through pageRoutes), they are just not API.
    const pages = pageRoutes(t.app);
    expect(pages.length).toBeGreaterThanOrEqual(37);
    for (const url of ['/dashboard/signin', '/dashboard/apps/:appId/webhooks', '/account/revoke', '/connect/:flowId/consent']) expect(pages.some((r) => r.url === url), url).toBe(true);
    for (const r of pages) expect(doc.paths[r.url.replace(/:([A-Za-z]+)/g, '{$1}')], r.url).toBeUndefined();
    expect(doc.tags.map((x) => x.name)).not.toContain('Dashboard');
  });

  it('names no internal document in its texts', () => {
    const text = JSON.stringify(doc);
    expect(text).not.toMatch(/wire-contract/i);
    expect(text).not.toContain('§');
  });
});
