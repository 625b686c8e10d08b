import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testApp } from '../../../apps/server/test/helpers.js';
import { FormClient, inputValue } from './browser-client.js';
import { connectForTest, describePermission } from '@opencar/oauth';
import { makeName } from '../src/services/makes.js';

type T = Awaited<ReturnType<typeof testApp>>;

async function developer(t: T, email = 'dev@example.com', lang?: string) {
  const c = new FormClient(t.app, lang ? { 'accept-language': lang } : {});
  await c.get('/dashboard/signup');
  await c.post('/dashboard/signup', { name: 'Dev', email, password: 'correct horse battery', accept_tos: 'on' });
  return c;
}

async function withApp(t: T, lang?: string) {
  const c = await developer(t, 'dev@example.com', lang);
  await c.get('/dashboard/apps/new');
  const res = await c.post('/dashboard/apps', { name: 'Quick', redirect_uris: 'http://localhost:8000/callback', scope: ['read_vin', 'read_odometer'], mode: 'simulated' });
  return { c, appId: inputValue(res.body, 'client-id')!, created: res.body };
}

describe('landing page, docs index and favicon', () => {
  let t: T;
  beforeEach(async () => { t = await testApp(); });
  afterEach(async () => t.close());

  it('GET / is an HTML page linking the dashboard, owner portal, API and error reference, docs and health', async () => {
    const res = await t.app.inject({ url: '/' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    for (const href of ['/dashboard', '/account', '/docs/api', '/docs/errors', '/docs', '/readyz']) expect(res.body).toContain(`href="${href}"`);
    expect(res.body).toContain('<link rel="icon" href="/favicon.svg"');
    expect(res.body).not.toContain('id="demo-sign-in"');
  });

  it('shows the demo sign-in once the demo developer exists, in the visitor\'s language', async () => {
    await developer(t, 'demo@opencar.local');
    const res = await t.app.inject({ url: '/', headers: { 'accept-language': 'de-DE,de;q=0.9' } });
    expect(res.body).toContain('id="demo-sign-in"');
    expect(res.body).toContain('demo@opencar.local');
    expect(res.body).toContain('<html lang="de"');
    expect(res.body).toContain('Demo-Anmeldung');
  });

  it('GET /docs indexes the API reference, OpenAPI document and error reference, each of which answers', async () => {
    const res = await t.app.inject({ url: '/docs' });
    expect(res.statusCode).toBe(200);
    const links = [...res.body.matchAll(/<h2><a href="([^"]+)"/g)].map((m) => m[1]!);
    expect(links).toEqual(['/docs/api', '/openapi.json', '/docs/errors', '/dashboard']);
    for (const href of links.slice(0, 3)) expect((await t.app.inject({ url: href })).statusCode, href).toBe(200);
  });

  it('/favicon.ico is an ICO holding a 32 px PNG; /favicon.svg an SVG', async () => {
    const ico = await t.app.inject({ url: '/favicon.ico' });
    expect(ico.statusCode).toBe(200);
    expect(ico.headers['content-type']).toBe('image/x-icon');
    const b = ico.rawPayload;
    expect([b.readUInt16LE(0), b.readUInt16LE(2), b.readUInt16LE(4), b[6], b[7]]).toEqual([0, 1, 1, 32, 32]);
    const offset = b.readUInt32LE(18);
    expect(b.readUInt32LE(14)).toBe(b.length - offset);
    expect(b.subarray(offset, offset + 8).toString('hex')).toBe('89504e470d0a1a0a');
    const svg = await t.app.inject({ url: '/favicon.svg' });
    expect(svg.headers['content-type']).toBe('image/svg+xml');
    expect(svg.body).toMatch(/^<svg /);
  });

  it('unknown API paths still answer the v2 JSON 404', async () => {
    const res = await t.app.inject({ url: '/nothing-here' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ type: 'RESOURCE_NOT_FOUND', code: 'PATH' });
  });
});

describe('credentials, quick start and the app form', () => {
  let t: T;
  beforeEach(async () => { t = await testApp(); });
  afterEach(async () => t.close());

  it('copy buttons carry a text label and an accessible name, never a lone glyph', async () => {
    const { c, appId, created } = await withApp(t);
    const buttons = (body: string) => [...body.matchAll(/<button[^>]*data-copy="([^"]+)"[^>]*>([^<]*)<span class="sr"> ([^<]+)<\/span><\/button>/g)].map((m) => [m[1], `${m[2]} ${m[3]}`, m[2]]);
    expect(buttons(created)).toEqual([
      ['client-id', 'Copy Client id', 'Copy'], ['client-secret', 'Copy Client secret', 'Copy'], ['amt', 'Copy Application management token', 'Copy'],
      ['v3-client-id', 'Copy v3 client id (client credentials)', 'Copy'], ['v3-client-secret', 'Copy v3 client secret', 'Copy'],
    ]);
    expect(created).not.toContain('⧉');
    const settings = (await c.get(`/dashboard/apps/${appId}`)).body;
    expect(buttons(settings).map((b) => b[0])).toEqual(['client-id-value', 'application-id-value', 'v3-client-id-value', 'quick-env', 'quick-connect']);
  });

  it('the settings page has a quick-start snippet: the four SMARTCAR_* origins, client id, redirect URI and the Connect URL', async () => {
    const { c, appId } = await withApp(t);
    const body = (await c.get(`/dashboard/apps/${appId}`)).body;
    const env = /<pre id="quick-env">([^<]*)<\/pre>/.exec(body)![1]!;
    expect(env.split('\n').map((l) => l.split('=')[0])).toEqual(['SMARTCAR_API_ORIGIN', 'SMARTCAR_AUTH_ORIGIN', 'SMARTCAR_MANAGEMENT_API_ORIGIN', 'SMARTCAR_API_V3_ORIGIN', 'SMARTCAR_CLIENT_ID', 'SMARTCAR_CLIENT_SECRET', 'SMARTCAR_REDIRECT_URI']);
    expect(env).toContain('SMARTCAR_API_ORIGIN=http://opencar.test\n');
    expect(env).toContain(`SMARTCAR_CLIENT_ID=${appId}\n`);
    expect(env).toContain('SMARTCAR_REDIRECT_URI=http://localhost:8000/callback');
    const connect = /<pre id="quick-connect">([^<]*)<\/pre>/.exec(body)![1]!.replace(/&amp;/g, '&');
    const url = new URL(connect);
    expect(url.origin + url.pathname).toBe('http://opencar.test/oauth/authorize');
    expect(url.searchParams.get('client_id')).toBe(appId);
    expect(url.searchParams.get('scope')).toBe('read_vin read_odometer');
  });

  it('permission checkboxes are described in plain language (Connect\'s own words) in each of the five languages', async () => {
    const english = 'See the total distance driven';
    for (const lang of ['en', 'de', 'fr', 'nl', 'es']) {
      const c = await developer(t, `dev-${lang}@example.com`, lang);
      const form = (await c.get('/dashboard/apps/new')).body;
      const label = /<label for="perm-read_odometer"><span class="perm-text">([^<]+)<\/span> <code class="perm-code">read_odometer<\/code><\/label>/.exec(form);
      expect(label, lang).not.toBeNull();
      expect(label![1], lang).toBe(describePermission(lang, 'read_odometer'));
      if (lang === 'en') expect(label![1]).toBe(english); else expect(label![1], lang).not.toBe(english);
    }
  });

  it('makes read as Connect shows them, not as API codes', () => {
    expect(makeName(t.platform.backend, 'TESLA')).toBe('Tesla');
    expect(makeName(t.platform.backend, 'MERCEDES_BENZ')).toBe('Mercedes-Benz');
    expect(makeName(undefined, 'LAND_ROVER')).toBe('Land Rover');
  });
});

describe('Try Connect lands in the dashboard', () => {
  let t: T;
  beforeEach(async () => { t = await testApp(); });
  afterEach(async () => t.close());

  const authorize = (clientId: string, redirectUri: string) => `/oauth/authorize?${new URLSearchParams({ response_type: 'code', client_id: clientId, redirect_uri: redirectUri, scope: 'read_odometer', mode: 'simulated' })}`;

  it('Connect accepts the dashboard callback of the app itself, never another app\'s', async () => {
    const { c, appId } = await withApp(t);
    await c.get('/dashboard/apps/new');
    const other = inputValue((await c.post('/dashboard/apps', { name: 'Other', redirect_uris: 'https://other.example/cb', scope: ['read_vin'], mode: 'simulated' })).body, 'client-id')!;
    const own = await t.app.inject({ url: authorize(appId, `http://opencar.test/dashboard/apps/${appId}/try-connect/callback`) });
    expect(own.statusCode).toBeLessThan(400);
    const foreign = await t.app.inject({ url: authorize(appId, `http://opencar.test/dashboard/apps/${other}/try-connect/callback`) });
    expect(foreign.statusCode).toBe(400);
    const elsewhere = await t.app.inject({ url: authorize(appId, `http://evil.example/dashboard/apps/${appId}/try-connect/callback`) });
    expect(elsewhere.statusCode).toBe(400);
  });

  it('Try Connect starts Connect with PKCE, a state bound to this browser and the built-in callback', async () => {
    const { c, appId } = await withApp(t);
    const start = await c.get(`/dashboard/apps/${appId}/try-connect`);
    expect(start.statusCode).toBe(303);
    const url = new URL(start.headers.location as string, 'http://opencar.test');
    expect(url.pathname).toBe('/oauth/authorize');
    expect(url.searchParams.get('redirect_uri')).toBe(`http://opencar.test/dashboard/apps/${appId}/try-connect/callback`);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    const state = url.searchParams.get('state')!;
    expect(c.cookies.get('oc_try')).toMatch(new RegExp(`^${state}\\.`));
    // A result whose state is not this browser's is refused and exchanges nothing.
    const forged = await c.get(`/dashboard/apps/${appId}/try-connect/callback?code=abc&state=not-${state}`);
    expect(forged.statusCode).toBe(400);
    expect(forged.body).toContain('id="try-again"');
    expect(forged.body).not.toContain('try-access-token');
    // Connect's own error comes back as a page that says so.
    const denied = await c.get(`/dashboard/apps/${appId}/try-connect/callback?error=access_denied&error_description=User+denied`);
    expect(denied.body).toContain('access_denied');
  });

  it('the getting-started checklist ticks itself off and disappears once every step is done', async () => {
    const { c, appId } = await withApp(t);
    const steps = async () => [...(await c.get(`/dashboard/apps/${appId}`)).body.matchAll(/<li id="step-(\w+)" data-done="(yes|no)"/g)].map((m) => `${m[1]}:${m[2]}`);
    expect(await steps()).toEqual(['create:yes', 'connect:no', 'call:no', 'webhook:no']);
    await connectForTest(t.platform.storage, t.clock, { appId, userId: 'u1', vehicleIds: ['veh-1'], permissions: ['read_odometer'], mode: 'simulated' });
    expect(await steps()).toEqual(['create:yes', 'connect:yes', 'call:no', 'webhook:no']);
    await t.platform.metering.record({ requestId: 'r-1', at: t.clock.now(), appId, vehicleId: 'veh-1', userId: 'u1', endpoint: 'GET /v2.0/vehicles/:id/odometer', method: 'GET', status: 200, latencyMs: 5, units: 1, woke: false, requestClass: 'data' });
    expect(await steps()).toEqual(['create:yes', 'connect:yes', 'call:yes', 'webhook:no']);
    await t.platform.storage.db.insertInto('webhooks').values({ id: 'wh-1', app_id: appId, name: 'Hook', url: 'https://hooks.example/x', kind: 'scheduled', cadence: 'daily', topics: '["/odometer"]', status: 'active', verified_at: t.clock.now(), next_run_at: null, created_at: t.clock.now(), deleted_at: null, anchor_at: null }).execute();
    expect(await steps()).toEqual([]);
  });
});

describe('plans page', () => {
  let t: T;
  beforeEach(async () => { t = await testApp(); });
  afterEach(async () => t.close());
  const plan = async () => (await t.platform.storage.db.selectFrom('developers').select('plan').executeTakeFirstOrThrow()).plan;

  it('compares limits, features and price of every plan', async () => {
    const { c } = await withApp(t);
    const body = (await c.get('/dashboard/plans')).body;
    const included = (p: string) => [...body.slice(body.indexOf(`id="plan-${p}"`)).split('</section>')[0]!.matchAll(/data-feature="(\w+)" data-included="(yes|no)"/g)].map((m) => `${m[1]}:${m[2]}`);
    expect(included('free')).toEqual(['event_webhooks:no', 'batch:no', 'compatibility:no', 'single_select:no']);
    expect(included('payg')).toEqual(['event_webhooks:yes', 'batch:yes', 'compatibility:yes', 'single_select:yes']);
    expect(included('enterprise')).toEqual(['event_webhooks:yes', 'batch:yes', 'compatibility:yes', 'single_select:yes']);
    expect(body).toContain('$0.15 per billable request');
    expect(body).toContain('Rate limit per app: 120 requests, refilling 2 a minute');
    expect(body).toContain('id="choose-payg"');
    expect(body).not.toContain('id="choose-enterprise"');
  });

  it('a change asks for confirmation first, then applies and is recorded; Enterprise is not self-service', async () => {
    const { c, appId } = await withApp(t);
    await c.get('/dashboard/plans');
    const ask = await c.post('/dashboard/plans', { plan: 'payg' });
    expect(ask.statusCode).toBe(200);
    expect(ask.body).toContain('id="confirm-plan"');
    expect(await plan()).toBe('free');
    t.clock.advance(60_000);
    const done = await c.post('/dashboard/plans', { plan: 'payg', confirm: 'yes' });
    expect(done.statusCode).toBe(303);
    expect(await plan()).toBe('payg');
    const page = (await c.get('/dashboard/plans?changed=1')).body;
    expect([...page.matchAll(/<tr><td>[^<]+<\/td><td>([^<]+)<\/td><td>([^<]+)<\/td><\/tr>/g)].map((m) => `${m[1]}/${m[2]}`)).toEqual(['Pay as you go/You', 'Free/Sign-up']);
    expect((await c.post('/dashboard/plans', { plan: 'enterprise', confirm: 'yes' })).statusCode).toBe(400);
    expect(await plan()).toBe('payg');
    const usage = (await c.get(`/dashboard/apps/${appId}/usage`)).body;
    expect([...usage.matchAll(/<li data-plan="(\w+)">/g)].map((m) => m[1])).toEqual(['free', 'payg']);
  });

  it('a plan refusal in the dashboard links to the plan page', async () => {
    const { c, appId } = await withApp(t);
    await c.get(`/dashboard/apps/${appId}/webhooks`);
    const refused = await c.post(`/dashboard/apps/${appId}/webhooks`, { name: 'Events', url: 'http://127.0.0.1:9/hooks', type: 'eventBased', events: ['CHARGING_STARTED'] });
    expect(/<div class="alert alert-error"[^>]*>[\s\S]*?<\/div>/.exec(refused.body)?.[0]).toContain('<a href="/dashboard/plans" id="see-plans">');
    const docs = (await t.app.inject({ url: '/docs/errors/billing-errors' })).body;
    expect(docs).toContain('/dashboard/plans');
  });

  it('the usage page shows both rate-limit buckets', async () => {
    const { c, appId } = await withApp(t);
    const body = (await c.get(`/dashboard/apps/${appId}/usage`)).body;
    expect(body).toContain('<dd id="bucket-live">120 of 120 requests available, refilling 2 a minute (full in 0 s)</dd>');
    expect(body).toContain('<dd id="bucket-simulated">5,000 of 5,000 requests available, refilling 500 a minute (full in 0 s)</dd>');
  });
});

describe('webhooks form', () => {
  let t: T;
  beforeEach(async () => { t = await testApp(); });
  afterEach(async () => t.close());

  it('a receiver that fails verification saves nothing and the form keeps what was typed; sending shows progress once', async () => {
    const { c, appId } = await withApp(t);
    await c.get(`/dashboard/apps/${appId}/webhooks`);
    const res = await c.post(`/dashboard/apps/${appId}/webhooks`, { name: 'My odometer hook', url: 'http://127.0.0.1:9/nothing-listens', type: 'scheduled', cadence: 'daily', endpoints: ['/odometer'] });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('value="http://127.0.0.1:9/nothing-listens"');
    expect(res.body).toContain('value="My odometer hook"');
    expect(res.body).toMatch(/<option value="scheduled" selected>/);
    expect(res.body).toMatch(/<option value="daily" selected>/);
    expect(res.body).toMatch(/id="ep-odometer" name="endpoints" value="\/odometer" checked/);
    expect(res.body).toMatch(/<form method="post" action="\/dashboard\/apps\/[^"]+\/webhooks" class="card" data-busy="Sending the verify challenge… \(up to 15 s\)">/);
    expect(await t.platform.webhooks.list(appId)).toEqual([]);
  });
});

describe('error reference', () => {
  let t: T;
  beforeEach(async () => { t = await testApp(); });
  afterEach(async () => t.close());

  it('shows for each error the body the API answers, and reproducing it in the simulator gives that body', async () => {
    const c = await developer(t);
    await c.get('/dashboard/apps/new');
    const created = (await c.post('/dashboard/apps', { name: 'Errors', redirect_uris: 'https://app.example/cb', scope: ['read_odometer'], mode: 'simulated' })).body;
    const [appId, secret] = [inputValue(created, 'client-id')!, inputValue(created, 'client-secret')!];
    const signed = await t.platform.backend.signIn({ make: 'TESLA', email: 'errors@example.com', password: 'x', mode: 'simulated', country: 'US' });
    if (!signed.ok) throw new Error('sign-in failed');
    const vid = signed.vehicles[0]!.vehicleId;
    const tok = await connectForTest(t.platform.storage, t.clock, { appId, userId: signed.accountId, vehicleIds: [vid], permissions: ['read_odometer'], mode: 'simulated' });
    const docs = (await t.app.inject({ url: '/docs/errors/vehicle-state-errors' })).body;
    const section = docs.slice(docs.indexOf('<section id="asleep">')).split('</section>')[0]!;
    const unescape = (x: string) => x.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
    const example = JSON.parse(unescape(/<h3>Example body<\/h3><pre[^>]*>([\s\S]*?)<\/pre>/.exec(section)![1]!)) as Record<string, unknown>;
    expect(unescape(section)).toContain('-d \'{"error":"VEHICLE_STATE:ASLEEP","count":1}\' http://opencar.test/simulator/vehicles/$VEHICLE_ID/faults');
    const basic = `Basic ${Buffer.from(`${appId}:${secret}`).toString('base64')}`;
    const fault = await t.app.inject({ method: 'POST', url: `/simulator/vehicles/${vid}/faults`, headers: { authorization: basic, 'content-type': 'application/json' }, payload: { error: 'VEHICLE_STATE:ASLEEP', count: 1 } });
    expect(fault.statusCode).toBeLessThan(300);
    const real = await t.app.inject({ url: `/v2.0/vehicles/${vid}/odometer`, headers: { authorization: `Bearer ${tok.access_token}` } });
    const body = real.json() as Record<string, unknown>;
    expect(Object.keys(example).sort()).toEqual(Object.keys(body).sort());
    expect({ ...example, requestId: body.requestId }).toEqual(body);
  });
});
