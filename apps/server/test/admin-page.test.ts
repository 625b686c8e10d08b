import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import type { FastifyInstance } from 'fastify';
import { ManualClock, encryptSecret, loadConfig, sha256, uuid } from '@opencar/core';
import { AccountsRepo, openStorage, type Storage } from '@opencar/storage';
import { buildApp } from '../src/build-app.js';
import { createPlatform, type Platform } from '../src/platform.js';
import { runOperation } from '../src/operations/index.js';
import { platformOperations } from '../src/operations/platform-context.js';

const KEY = 'admin-page-secret-key-0123456789';
const PG = process.env.TEST_DATABASE_URL;

interface World { app: FastifyInstance; platform: Platform; storage: Storage; clock: ManualClock }

async function world(databaseUrl: string, schema?: string): Promise<World> {
  const config = loadConfig({ DATABASE_URL: databaseUrl, OPENCAR_SECRET_KEY: KEY, LOG_LEVEL: 'silent', PUBLIC_URL: 'http://opencar.test' });
  const storage = await openStorage(config.databaseUrl, schema ? { schema } : {});
  const clock = new ManualClock(Date.UTC(2026, 10, 1, 12));
  const platform = await createPlatform({ config, secretKey: KEY, storage, clock, log: pino({ level: 'silent' }) });
  return { app: await buildApp(platform), platform, storage, clock };
}

/** A browser: keeps cookies, reads the CSRF token of the last page. */
class Browser {
  private jar = new Map<string, string>();
  csrf = '';
  constructor(private readonly app: FastifyInstance) {}
  private keep(headers: Record<string, unknown>) {
    const set = headers['set-cookie'];
    for (const c of (Array.isArray(set) ? set : set ? [set] : []) as string[]) {
      const [pair] = c.split(';');
      const [name, value] = pair!.split('=');
      if (value) this.jar.set(name!, value); else this.jar.delete(name!);
    }
  }
  private get cookie() { return [...this.jar].map(([k, v]) => `${k}=${v}`).join('; '); }
  async get(url: string) {
    const res = await this.app.inject({ method: 'GET', url, headers: { cookie: this.cookie } });
    this.keep(res.headers);
    const m = /name="_csrf" value="([^"]+)"/.exec(res.body);
    if (m) this.csrf = m[1]!;
    return res;
  }
  async post(url: string, form: Record<string, string>, withCsrf = true, headers: Record<string, string> = {}) {
    const body = new URLSearchParams({ ...(withCsrf ? { _csrf: this.csrf } : {}), ...form }).toString();
    const res = await this.app.inject({ method: 'POST', url, headers: { cookie: this.cookie, 'content-type': 'application/x-www-form-urlencoded', ...headers }, body });
    this.keep(res.headers);
    return res;
  }
}

const dialects = [{ name: 'SQLite', url: 'sqlite::memory:', schema: undefined as string | undefined }];
if (PG) dialects.push({ name: 'PostgreSQL', url: PG, schema: `admin_${process.pid}_${Date.now().toString(36)}` });

describe.each(dialects)('admin page ($name)', ({ url, schema }) => {
  let w: World;
  let developerId: string;
  const appId = uuid();
  let password: string;

  beforeAll(async () => {
    w = await world(url, schema);
    const accounts = new AccountsRepo(w.storage.db);
    developerId = uuid();
    await accounts.createDeveloper({ id: developerId, email: 'fleet@example.com', password_hash: null, name: 'Fleet Co', tos_version: null, tos_accepted_at: null, plan: 'free', plan_limits: null, status: 'active', created_at: 0 });
    await accounts.createApp({ id: appId, developerId, name: 'Fleet tracker', logoUrl: null, clientSecretHash: sha256('s'), amtHash: sha256('a'), amtEnc: encryptSecret(KEY, 'a'), redirectUris: ['https://fleet.example/cb'], defaultScope: ['read_vin'], mode: 'simulated', simLatency: null }, 0);
    // Operator accounts come from the CLI's operation, never from a page.
    password = (await runOperation(platformOperations(w.platform), 'operators.add', { email: 'root@opencar.test' }) as { password: string }).password;
  });
  afterAll(async () => {
    await w.app.close(); await w.platform.close();
    if (schema) await w.storage.db.schema.dropSchema(schema).ifExists().cascade().execute();
    await w.storage.close();
  });

  it('without a session every page goes to the sign-in; wrong passwords and missing CSRF tokens are refused; there is no sign-up', async () => {
    const b = new Browser(w.app);
    for (const path of ['/admin', `/admin/developers/${developerId}`, `/admin/apps/${appId}`]) {
      const res = await b.get(path);
      expect(res.statusCode).toBe(303);
      expect(res.headers.location).toBe('/admin/signin');
    }
    const anon = await b.post(`/admin/developers/${developerId}/suspend`, {});
    expect(anon.statusCode, anon.body).toBe(401);
    expect((await b.get('/admin/signup')).statusCode).toBe(404);
    const page = await b.get('/admin/signin');
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-security-policy']).toMatch(/script-src|default-src 'none'/);
    expect(page.body).not.toContain('<script');
    expect((await b.post('/admin/signin', { email: 'root@opencar.test', password: 'wrong-password' })).statusCode).toBe(401);
    expect((await b.post('/admin/signin', { email: 'root@opencar.test', password }, false)).statusCode).toBe(403);
    // A developer of the dashboard is no operator.
    expect((await b.post('/admin/signin', { email: 'fleet@example.com', password: 'anything-at-all' })).statusCode).toBe(401);
  });

  it('an operator sees the platform counters, developers and apps, and runs the operations', async () => {
    const b = new Browser(w.app);
    await b.get('/admin/signin');
    const signedIn = await b.post('/admin/signin', { email: 'ROOT@opencar.test', password });
    expect(signedIn.statusCode).toBe(303);
    expect(signedIn.headers['set-cookie']).toMatch(/^oc_op=[^;]+; Path=\/admin; HttpOnly; SameSite=Strict/);
    const home = await b.get('/admin');
    expect(home.statusCode).toBe(200);
    const counters = [...home.body.matchAll(/<div class="tile"><b[^>]*>(\d+)<\/b>([^<]+)<\/div>/g)].map((m) => `${m[2]}=${m[1]}`);
    expect(counters).toEqual(['developers=1', 'suspended=0', 'apps=1', 'connected vehicles=0', 'requests today=0', '5xx answers today=0', 'webhook backlog=0', 'webhook dead letters=0']);
    expect(home.body).toContain(`<a href="/admin/developers/${developerId}">fleet@example.com</a>`);
    expect(home.body).toContain(`<a href="/admin/apps/${appId}">Fleet tracker</a>`);

    await b.get(`/admin/developers/${developerId}`);
    expect((await b.post(`/admin/developers/${developerId}/plan`, { plan: 'enterprise' })).body).toContain('Plan enterprise, active.');
    expect((await b.post(`/admin/developers/${developerId}/plan`, { plan: 'gold' })).statusCode).toBe(400);
    const limited = await b.post(`/admin/developers/${developerId}/limits`, { requestsPerMonth: '250', vehicles: 'unlimited', vehicleRequestsPerMonth: '', pricePerRequestCents: '' });
    expect(limited.statusCode).toBe(200);
    expect((await b.post(`/admin/developers/${developerId}/limits`, { requestsPerMonth: 'lots' })).body).toContain('requestsPerMonth must be a whole number or unlimited, got &quot;lots&quot;');
    expect((await b.post(`/admin/developers/${developerId}/suspend`, {})).body).toContain('Plan enterprise, suspended.');
    const dev = await new AccountsRepo(w.storage.db).getDeveloper(developerId);
    expect(dev).toMatchObject({ plan: 'enterprise', status: 'suspended' });
    expect(JSON.parse(dev!.plan_limits!)).toEqual({ requestsPerMonth: 250, vehicles: null });
    expect((await b.get('/admin')).body).toMatch(/<b class="bad">1<\/b>suspended/);
    await b.get(`/admin/developers/${developerId}`);
    expect((await b.post(`/admin/developers/${developerId}/reinstate`, {})).body).toContain('Plan enterprise, active.');
    const reset = await b.post(`/admin/developers/${developerId}/reset-password`, {});
    expect(reset.body).toMatch(/<p class="secret" id="secret">\S{12,}<\/p>/);

    await b.get(`/admin/apps/${appId}`);
    const rotated = await b.post(`/admin/apps/${appId}/rotate-secret`, {});
    const secret = /id="secret">([^<]+)</.exec(rotated.body)![1]!;
    expect((await new AccountsRepo(w.storage.db).getApp(appId))!.clientSecretHash).toBe(sha256(secret));
    expect((await b.post(`/admin/apps/${appId}/rotate-amt`, {})).body).toContain('New management token');
    expect((await b.post(`/admin/apps/${appId}/delete`, { confirm: 'not-the-id' })).statusCode).toBe(400);
    expect((await b.post(`/admin/apps/${appId}/delete`, { confirm: appId })).body).toContain('is deleted');
    expect(await new AccountsRepo(w.storage.db).getApp(appId)).toBeUndefined();

    // A form without the session's CSRF token, or posted from another site, changes nothing.
    expect((await b.post(`/admin/developers/${developerId}/suspend`, {}, false)).statusCode).toBe(403);
    expect((await b.post(`/admin/developers/${developerId}/suspend`, {}, true, { origin: 'https://evil.example' })).statusCode).toBe(403);
    expect((await new AccountsRepo(w.storage.db).getDeveloper(developerId))!.status).toBe('active');

    expect((await b.post('/admin/signout', {})).statusCode).toBe(303);
    expect((await b.get('/admin')).headers.location).toBe('/admin/signin');
  });
});
