import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reauthenticateUrl } from '../src/index.js';
import { Browser, CLIENT, SECRET_KEY, authorizeUrl, harness, type Harness } from './harness.js';

/** A flow opened and taken to the login page (or further), with the step URLs the browser went through. */
async function toLogin(h: Harness, params: Record<string, string> = {}) {
  const b = new Browser(h.app);
  await b.open(authorizeUrl({ response_type: 'code', client_id: CLIENT.id, redirect_uri: CLIENT.redirect, scope: 'read_odometer', state: 's', ...params }));
  await b.post('continue');
  if (b.has(/id="brand-search"/)) await b.post('brand', { make: 'TESLA' });
  return b;
}

const backHref = (b: Browser) => /<a class="back-link" id="back-button" href="([^"]+)"/.exec(b.html)?.[1];

describe('Connect: Back keeps the flow (page control and browser history)', () => {
  let h: Harness;
  beforeAll(async () => { h = await harness(); });
  afterAll(async () => h?.close());

  it('every step has its own URL; the first has no Back, each later one goes to the step before', async () => {
    const b = new Browser(h.app);
    await b.open(authorizeUrl({ response_type: 'code', client_id: CLIENT.id, redirect_uri: CLIENT.redirect, scope: 'read_odometer', state: 's' }));
    expect(b.visited[1]).toBe(`${b.flowPath}/preamble`);
    expect(backHref(b)).toBeUndefined();
    await b.post('continue');
    expect(b.visited.at(-1)).toBe(`${b.flowPath}/brand`);
    expect(backHref(b)).toBe(`${b.flowPath}/preamble`);
    await b.post('brand', { make: 'TESLA' });
    expect(b.visited.at(-1)).toBe(`${b.flowPath}/login`);
    expect(backHref(b)).toBe(`${b.flowPath}/brand`);
    await b.post('login', { username: 'owner@x.test', password: 'pw' });
    expect(b.visited.at(-1)).toBe(`${b.flowPath}/consent`);
    expect(backHref(b)).toBe(`${b.flowPath}/login`);
    expect(b.html).toContain('id="approval-button"');
  });

  it('Back from sign-in returns to the brand list, and another brand can be chosen', async () => {
    const b = await toLogin(h);
    expect(b.html).toContain('Sign in to Tesla');
    await b.open(backHref(b)!); // what the Back link and the browser's Back button both request
    expect(b.status).toBe(200);
    expect(b.html).toContain('id="brand-search"');
    await b.post('brand', { make: 'FORD' });
    expect(b.html).toContain('Sign in to Ford');
    await b.post('login', { username: 'owner@x.test', password: 'pw' });
    await b.post('consent', { decision: 'approve', vehicle: 'acct-FORD-owner@x.test-v0' });
    expect(b.result.get('code')).toBeTruthy();
  });

  it('Back from consent returns to sign-in; consent cannot be posted until the owner signs in again', async () => {
    const b = await toLogin(h);
    await b.post('login', { username: 'owner@x.test', password: 'pw' });
    const consentCsrf = b.csrf;
    await b.open(`${b.flowPath}/login`);
    expect(b.html).toContain('id="sign-in-button"');
    await b.post('consent', { decision: 'approve', vehicle: 'acct-TESLA-owner@x.test-v0' }, { csrf: consentCsrf });
    expect(b.visited.at(-1)).toBe(`${b.flowPath}/login`); // shown the sign-in again, nothing granted
    await b.post('login', { username: '2-cars@x.test', password: 'pw' });
    expect(b.html).toContain('acct-TESLA-2-cars@x.test-v1');
  });

  it('a page the browser kept after Back still works: the brand list posts while the flow is further on', async () => {
    const b = await toLogin(h);
    await b.post('login', { username: 'owner@x.test', password: 'pw' });
    expect(b.html).toContain('id="approval-button"');
    await b.post('brand', { make: 'FORD' }); // the brand page from history, submitted again
    expect(b.html).toContain('Sign in to Ford');
  });

  it('a step not reached yet cannot be skipped to', async () => {
    const b = new Browser(h.app);
    await b.open(authorizeUrl({ response_type: 'code', client_id: CLIENT.id, redirect_uri: CLIENT.redirect, scope: 'read_odometer' }));
    await b.open(`${b.flowPath}/consent`);
    expect(b.status).toBe(303);
    expect(b.location).toBe(`${b.flowPath}/preamble`);
  });

  it('when the app names the brand, Back from sign-in goes to the first page', async () => {
    const b = await toLogin(h, { make: 'TESLA' });
    expect(b.html).toContain('Sign in to Tesla');
    expect(backHref(b)).toBe(`${b.flowPath}/preamble`);
    await b.open(`${b.flowPath}/brand`);
    expect(b.status).toBe(303);
    expect(b.location).toBe(`${b.flowPath}/login`);
  });

  it('a re-authentication starts at sign-in (signed link) or at the brand list, with no Back', async () => {
    const first = await toLogin(h);
    await first.post('login', { username: 'owner@x.test', password: 'pw' });
    await first.post('consent', { decision: 'approve', vehicle: 'acct-TESLA-owner@x.test-v0' });
    const b = new Browser(h.app);
    await b.open(`${reauthenticateUrl('', SECRET_KEY, CLIENT.id, 'acct-TESLA-owner@x.test-v0')}&redirect_uri=${encodeURIComponent(CLIENT.redirect)}`);
    expect(b.html).toContain('id="sign-in-button"');
    expect(backHref(b)).toBeUndefined();
    const anon = new Browser(h.app);
    await anon.open(`/oauth/reauthenticate?response_type=vehicle_id&client_id=${CLIENT.id}&vehicle_id=acct-TESLA-owner@x.test-v0&redirect_uri=${encodeURIComponent(CLIENT.redirect)}`);
    expect(anon.html).toContain('id="brand-search"');
    expect(backHref(anon)).toBeUndefined();
    await anon.post('brand', { make: 'TESLA' });
    expect(anon.html).toContain('id="sign-in-button"');
    expect(backHref(anon)).toBe(`${anon.flowPath}/brand`);
  });

  it('brands carry their logo where the icon set has one, their name always', async () => {
    const b = new Browser(h.app);
    await b.open(authorizeUrl({ response_type: 'code', client_id: CLIENT.id, redirect_uri: CLIENT.redirect, scope: 'read_odometer' }));
    await b.post('continue');
    expect(b.html).toMatch(/id="TESLA" class="brand-list-item"[^>]*><img src="\/connect-assets\/brands\/tesla.svg" alt="" width="24" height="24"><span>Tesla<\/span>/);
    const logo = await h.app.inject({ url: '/connect-assets/brands/tesla.svg' });
    expect(logo.statusCode).toBe(200);
    expect(logo.headers['content-type']).toContain('image/svg+xml');
    expect(logo.body).toMatch(/^<svg fill="#[0-9A-Fa-f]{6}" /);
    expect((await h.app.inject({ url: '/connect-assets/brands/..%2Fpackage.json' })).statusCode).toBe(404);
    expect((await h.app.inject({ url: '/connect-assets/brands/nosuchbrand.svg' })).statusCode).toBe(404);
  });
});
