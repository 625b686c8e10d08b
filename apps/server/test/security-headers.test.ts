import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectForTest } from '@opencar/oauth';
import { BASE_CSS_SOURCE } from '@opencar/ui';
import { provision } from '../src/provision.js';
import { testApp } from './helpers.js';

type T = Awaited<ReturnType<typeof testApp>>;

describe('security headers', () => {
  let t: T;
  let token: string;
  let vehicleId: string;
  beforeAll(async () => {
    t = await testApp({ OPENCAR_SEED_CLIENT_ID: 'app-hdr', OPENCAR_SEED_CLIENT_SECRET: 'hdr-secret-0123456789', OPENCAR_SEED_REDIRECT_URIS: 'https://app.example/cb', OPENCAR_SEED_AMT: 'hdr-amt-0123456789' });
    await provision(t.platform.config, t.platform.storage, t.clock, t.platform.secretKey, t.platform.log);
    const r = await t.platform.backend.signIn({ make: 'TESLA', email: 'hdr@example.com', password: 'x', mode: 'simulated', country: 'US' });
    if (!r.ok) throw new Error('sign-in failed');
    vehicleId = r.vehicles[0]!.vehicleId;
    token = (await connectForTest(t.platform.storage, t.clock, { appId: 'app-hdr', userId: r.accountId, vehicleIds: [vehicleId], permissions: ['read_odometer', 'read_location'], mode: 'simulated' })).access_token;
  });
  afterAll(async () => t?.close());

  it('vehicle data and every other API answer are never cached, sniffed or framed', async () => {
    const auth = { authorization: `Bearer ${token}` };
    for (const url of [`/v2.0/vehicles/${vehicleId}/odometer`, `/v2.0/vehicles/${vehicleId}/location`, '/v2.0/vehicles', `/v3/vehicles/${vehicleId}/signals`, '/v2.0/user']) {
      const res = await t.app.inject({ url, headers: auth });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['cache-control'], url).toBe('no-store');
      expect(res.headers['x-content-type-options'], url).toBe('nosniff');
      expect(res.headers['x-frame-options'], url).toBe('DENY');
      expect(res.headers['content-security-policy'], url).toBe("default-src 'none'; frame-ancestors 'none'");
    }
    const err = await t.app.inject({ url: `/v2.0/vehicles/${vehicleId}/odometer` });
    expect(err.statusCode).toBe(401);
    expect(err.headers['cache-control']).toBe('no-store');
    expect(err.headers['strict-transport-security']).toBeUndefined(); // plain http: HSTS means nothing
  });

  it('the documentation pages have a CSP with no script (the API reference: only its own, by hash), no framing and nosniff', async () => {
    for (const url of ['/docs/api', '/docs/errors', '/docs/errors/validation-errors', '/docs/errors/nope']) {
      const res = await t.app.inject({ url });
      const csp = String(res.headers['content-security-policy']);
      expect(csp, url).toContain("default-src 'none'");
      expect(csp, url).toContain("frame-ancestors 'none'");
      if (url === '/docs/api') expect(csp, url).toMatch(/script-src 'sha256-[A-Za-z0-9+/=]+'$/);
      else expect(csp, url).not.toContain('script-src');
      expect(csp, url).not.toContain('unsafe-inline');
      expect(csp, url).toContain(BASE_CSS_SOURCE);
      expect(res.headers['x-frame-options'], url).toBe('DENY');
      expect(res.headers['x-content-type-options'], url).toBe('nosniff');
    }
  });

  it('the dashboard CSP allows no inline style, and its pages carry no style attribute', async () => {
    const res = await t.app.inject({ url: '/dashboard/signin' });
    const csp = String(res.headers['content-security-policy']);
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain(`style-src 'self' ${BASE_CSS_SOURCE}`);
    const pages = await Promise.all(['/dashboard/signin', '/dashboard/signup', '/dashboard/terms', '/account'].map((url) => t.app.inject({ url })));
    for (const p of pages) expect(p.body).not.toMatch(/\sstyle="/);
  });

  it('the language cookie is not Secure over plain http', async () => {
    const res = await t.app.inject({ url: '/dashboard/signin?lang=fr' });
    const lang = ([] as string[]).concat(res.headers['set-cookie'] ?? []).find((c) => c.startsWith('oc_lang='));
    expect(lang).toBeDefined();
    expect(lang).not.toMatch(/Secure/);
  });
});

describe('security headers behind an https public URL', () => {
  let t: T;
  beforeAll(async () => { t = await testApp({ PUBLIC_URL: 'https://opencar.example' }); });
  afterAll(async () => t?.close());

  it('sends HSTS on every answer and marks every cookie Secure, the language cookie included', async () => {
    for (const url of ['/healthz', '/v2.0/vehicles', '/docs/api', '/dashboard/signin?lang=de', '/account?lang=nl']) {
      const res = await t.app.inject({ url });
      expect(res.headers['strict-transport-security'], url).toBe('max-age=31536000');
      for (const cookie of ([] as string[]).concat(res.headers['set-cookie'] ?? [])) expect(cookie, url).toMatch(/; Secure/);
    }
  });
});
