import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEngines } from '../../storage/src/testing.js';
import { reauthenticateUrl } from '../src/index.js';
import { Browser, CLIENT, SECRET_KEY, authorizeUrl, connect, harness, type Harness } from './harness.js';

for (const engine of testEngines(process.env)) {
describe.skipIf(!engine.url)(`Connect flow (inject) [${engine.name}]`, () => {
  let h: Harness;
  beforeAll(async () => { h = await harness(engine); });
  afterAll(async () => h?.close());

  it('walks preamble → brand → login → consent with the contract ids and redirects with code and state', async () => {
    const b = new Browser(h.app);
    await b.open(authorizeUrl({ response_type: 'code', client_id: CLIENT.id, redirect_uri: CLIENT.redirect, scope: 'read_odometer required:read_vin', state: 's t&x' }));
    expect(b.status).toBe(200);
    expect(b.flowPath).toMatch(/^\/connect\/[0-9a-f-]{36}$/);
    expect(b.html).toMatch(/<button type="submit" id="continue-button"/);
    expect(b.html).toContain('Charge Planner');
    expect(b.html).toContain('See the total distance driven');
    expect(b.html).not.toContain('page-content');
    await b.post('continue');
    expect(b.html).toMatch(/<input type="search" id="brand-search"/);
    expect(b.html).toMatch(/<button type="submit" name="make" value="TESLA" id="TESLA" class="brand-list-item"/);
    expect(b.html).toMatch(/id="FORD" class="brand-list-item"/); // US list by default
    await b.post('brand', { make: 'TESLA' });
    expect(b.html).toMatch(/<input type="text" id="username"/);
    expect(b.html).toMatch(/<input type="password" id="password"/);
    expect(b.html).toMatch(/<button type="submit" id="sign-in-button"/);
    expect(b.html).toContain('Sign in to Tesla');
    await b.post('login', { username: 'owner@x.test', password: 'pw' });
    expect(b.html).toMatch(/<div class="page-content">/);
    expect(b.html).toMatch(/id="approval-button"/);
    expect(b.html).toMatch(/id="deny-button"/);
    await b.post('consent', { decision: 'approve', vehicle: 'acct-TESLA-owner@x.test-v0' });
    expect(b.status).toBe(303);
    expect(b.location!.startsWith(`${CLIENT.redirect}?`)).toBe(true);
    expect(b.result.get('state')).toBe('s t&x');
    expect(b.result.get('code')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // redirect_uri never appears in the URLs of the pages in between
    expect(b.visited.slice(1, -1).every((u) => !u.includes('app.example'))).toBe(true);
    const conns = await h.grants.listConnections(CLIENT.id, {}, { limit: 10 });
    expect(conns.connections.map((c) => [c.userId, c.vehicleId, c.permissions])).toEqual([['acct-TESLA-owner@x.test', 'acct-TESLA-owner@x.test-v0', ['read_odometer', 'read_vin']]]);
  });

  it('parses parameters in any order with + or %20 as spaces, tolerates unknown flags, and picks brands by country', async () => {
    const b = new Browser(h.app);
    await b.open(`/oauth/authorize?flags=country%3Ade+beta%3Atrue%20x&mode=live&scope=read_vin+read_odometer%20read_location&state=abc&client_id=${CLIENT.id}&response_type=code&user=u-77`);
    expect(b.html).toContain('See the vehicle identification number');
    expect(b.html).toContain('See the car&#39;s location');
    await b.post('continue');
    expect(b.html).toMatch(/id="VOLKSWAGEN" class="brand-list-item"/);
    expect(b.html).not.toMatch(/id="FORD"/);
  });

  it('make= skips the brand selector; an unknown make falls back to it', async () => {
    const b = new Browser(h.app);
    await b.open(authorizeUrl({ response_type: 'code', client_id: CLIENT.id, scope: 'read_vin', make: 'bmw' }));
    await b.post('continue');
    expect(b.html).toContain('Sign in to BMW');
    const c = new Browser(h.app);
    await c.open(authorizeUrl({ response_type: 'code', client_id: CLIENT.id, scope: 'read_vin', make: 'TRABANT' }));
    await c.post('continue');
    expect(c.html).toMatch(/id="brand-search"/);
  });

  it('defaults redirect_uri to the first registered one and the scope to the app default', async () => {
    const b = await connect(h, { redirect_uri: undefined, scope: undefined });
    expect(b.location!.startsWith(CLIENT.redirect)).toBe(true);
  });

  it('searches brands without script (server-side filter) and keeps every button in the DOM', async () => {
    const b = new Browser(h.app);
    await b.open(authorizeUrl({ response_type: 'code', client_id: CLIENT.id, scope: 'read_vin' }));
    await b.post('continue');
    await b.open(`${b.flowPath}?q=tes`);
    expect(b.html).toMatch(/id="TESLA" class="brand-list-item" data-name="tesla">/);
    expect(b.html).toMatch(/id="BMW" class="brand-list-item" data-name="bmw" hidden>/);
  });

  it('single_select offers radios and grants exactly one vehicle', async () => {
    const b = new Browser(h.app);
    await b.open(authorizeUrl({ response_type: 'code', client_id: CLIENT.id, scope: 'read_vin', single_select: 'true', make: 'TESLA' }));
    await b.post('continue');
    await b.post('login', { username: '3-cars@x.test', password: 'pw' });
    expect(b.html.match(/type="radio" name="vehicle"/g)).toHaveLength(3);
    expect(b.html.match(/ checked/g)).toHaveLength(1);
    await b.post('consent', { decision: 'approve', vehicle: ['acct-TESLA-3-cars@x.test-v2', 'acct-TESLA-3-cars@x.test-v0'] });
    expect(b.result.get('code')).toBeTruthy();
    const conns = await h.grants.ownerConnections('acct-TESLA-3-cars@x.test');
    expect(conns).toHaveLength(1);
    const one = new Browser(h.app);
    await one.open(authorizeUrl({ response_type: 'code', client_id: CLIENT.id, scope: 'read_vin', single_select: 'true', make: 'TESLA', approval_prompt: 'force' }));
    await one.post('continue');
    await one.post('login', { username: '3-cars@x.test', password: 'pw' });
    await one.post('consent', { decision: 'approve', vehicle: 'acct-TESLA-3-cars@x.test-v2' });
    const latest = await h.grants.ownerConnections('acct-TESLA-3-cars@x.test');
    expect(latest.find((c) => c.vehicleId.endsWith('v2'))).toBeDefined();
  });

  it('asks again for at least one vehicle when none is selected', async () => {
    const b = new Browser(h.app);
    await b.open(authorizeUrl({ response_type: 'code', client_id: CLIENT.id, scope: 'read_vin', make: 'TESLA' }));
    await b.post('continue');
    await b.post('login', { username: 'pick@x.test', password: 'pw' });
    await b.post('consent', { decision: 'approve' });
    expect(b.status).toBe(400);
    expect(b.html).toContain('Please select at least one vehicle.');
    expect(b.html).toMatch(/id="approval-button"/);
  });

  it('marks vehicles that cannot meet required permissions and grants only compatible ones', async () => {
    const b = new Browser(h.app);
    await b.open(authorizeUrl({ response_type: 'code', client_id: CLIENT.id, scope: 'required:read_odometer read_vin', make: 'TESLA' }));
    await b.post('continue');
    await b.post('login', { username: '2-cars@x.test', password: 'pw' });
    expect(b.html).toMatch(/value="acct-TESLA-2-cars@x.test-v1" disabled>/);
    expect(b.html).toContain('Cannot provide the required access');
    await b.post('consent', { decision: 'approve', vehicle: ['acct-TESLA-2-cars@x.test-v0', 'acct-TESLA-2-cars@x.test-v1'] });
    expect(b.result.get('code')).toBeTruthy();
    expect((await h.grants.ownerConnections('acct-TESLA-2-cars@x.test')).map((c) => c.vehicleId)).toEqual(['acct-TESLA-2-cars@x.test-v0']);
  });

  it('approval_prompt=auto skips consent already granted; force asks again; a wider scope asks again', async () => {
    await connect(h, { approval_prompt: 'force', make: 'TESLA' }, { email: 'again@x.test' });
    const auto = await connect(h, { approval_prompt: 'auto', make: 'TESLA' }, { email: 'again@x.test', decision: 'never-reached' });
    expect(auto.visited.some((u) => u.includes('/consent'))).toBe(false);
    expect(auto.result.get('code')).toBeTruthy();
    const force = new Browser(h.app);
    await force.open(authorizeUrl({ response_type: 'code', client_id: CLIENT.id, scope: 'read_odometer read_vin', approval_prompt: 'force', make: 'TESLA' }));
    await force.post('continue');
    await force.post('login', { username: 'again@x.test', password: 'pw' });
    expect(force.html).toMatch(/id="approval-button"/);
    const wider = new Browser(h.app);
    await wider.open(authorizeUrl({ response_type: 'code', client_id: CLIENT.id, scope: 'read_odometer read_vin read_location', make: 'TESLA' }));
    await wider.post('continue');
    await wider.post('login', { username: 'again@x.test', password: 'pw' });
    expect(wider.html).toMatch(/id="approval-button"/);
  });

  it('speaks the Accept-Language language and switches with ?lang=', async () => {
    const b = new Browser(h.app, 'fr-CH, de;q=0.9, en;q=0.5');
    await b.open(authorizeUrl({ response_type: 'code', client_id: CLIENT.id, scope: 'read_odometer' }));
    expect(b.html).toContain('<html lang="fr">');
    expect(b.html).toContain('Continuer');
    await b.open(`${b.flowPath}?lang=de`);
    expect(b.html).toContain('<html lang="de">');
    expect(b.html).toContain('Den Kilometerstand sehen');
    await b.post('continue');
    expect(b.html).toContain('Wählen Sie Ihre Automarke');
    for (const [lang, word] of [['nl', 'Doorgaan'], ['es', 'Continuar'], ['en', 'Continue']] as const) {
      const x = new Browser(h.app, lang);
      await x.open(authorizeUrl({ response_type: 'code', client_id: CLIENT.id, scope: 'read_odometer' }));
      expect(x.html).toContain(word);
    }
  });

  it('sends security headers on every Connect page', async () => {
    const b = new Browser(h.app);
    await b.open(authorizeUrl({ response_type: 'code', client_id: CLIENT.id, scope: 'read_odometer' }));
    const csp = String(b.headers['content-security-policy']);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("default-src 'none'");
    expect(csp).toMatch(/script-src 'nonce-[^']+'/);
    expect(csp).toContain("form-action 'self' https://app.example");
    expect(b.headers['x-frame-options']).toBe('DENY');
    expect(b.headers['referrer-policy']).toBe('no-referrer');
    expect(b.headers['cache-control']).toBe('no-store');
    expect(b.visited[1]).toMatch(/^\/connect\//);
  });

  it('re-authenticates a connected vehicle and returns vehicle_id with state', async () => {
    await connect(h, { make: 'TESLA' }, { email: 'reauth@x.test' });
    const vehicleId = 'acct-TESLA-reauth@x.test-v0';
    // the link API errors hand out (signed for this app): straight to the brand's sign-in
    const b = new Browser(h.app);
    await b.open(`${reauthenticateUrl('', SECRET_KEY, CLIENT.id, vehicleId)}&redirect_uri=${encodeURIComponent(CLIENT.redirect)}&state=r1`);
    expect(b.html).toMatch(/id="sign-in-button"/);
    await b.post('login', { username: 'reauth@x.test', password: 'pw' });
    expect(b.result.get('vehicle_id')).toBe(vehicleId);
    expect(b.result.get('state')).toBe('r1');
    expect(b.result.get('code')).toBeNull();
    // an unsigned link: the brand list first
    const a = new Browser(h.app);
    await a.open(`/oauth/reauthenticate?response_type=vehicle_id&client_id=${CLIENT.id}&vehicle_id=${vehicleId}&redirect_uri=${encodeURIComponent(CLIENT.redirect)}&state=r0`);
    expect(a.html).toMatch(/id="brand-search"/);
    await a.post('brand', { make: 'TESLA' });
    await a.post('login', { username: 'reauth@x.test', password: 'pw' });
    expect(a.result.get('vehicle_id')).toBe(vehicleId);
    expect(a.result.get('state')).toBe('r0');
    // the DOCS form: a connected vehicle id as response_type on /oauth/authorize
    const c = new Browser(h.app);
    await c.open(authorizeUrl({ response_type: vehicleId, client_id: CLIENT.id, state: 'r2' }));
    await c.post('brand', { make: 'TESLA' });
    await c.post('login', { username: 'reauth@x.test', password: 'pw' });
    expect(c.result.get('vehicle_id')).toBe(vehicleId);
    const d = new Browser(h.app);
    await d.open(authorizeUrl({ response_type: 'vehicle_id', vehicle_id: vehicleId, client_id: CLIENT.id, state: 'r3', make: 'TESLA' }));
    await d.post('login', { username: 'reauth@x.test', password: 'pw' });
    expect(d.result.get('vehicle_id')).toBe(vehicleId);
  });
});
  if (!engine.url) it.skip(`Connect flow (inject) on ${engine.name}: skipped, TEST_DATABASE_URL is not set`, () => {});
}
