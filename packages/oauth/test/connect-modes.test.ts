import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccountsRepo } from '@opencar/storage';
import { Browser, CLIENT, authorizeUrl, harness, type Harness } from './harness.js';

/** Connect in the three modes: live shows brands without a real connector as unavailable and never signs them in. */
describe('Connect modes', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await harness();
    h.backend.liveMakes = new Set(['TESLA']);
  });
  afterAll(async () => h?.close());

  const open = async (params: Record<string, string | undefined>) => {
    const b = new Browser(h.app);
    await b.open(authorizeUrl({ response_type: 'code', client_id: CLIENT.id, redirect_uri: CLIENT.redirect, scope: 'read_vin', state: 'st', ...params }));
    await b.post('continue');
    return b;
  };

  it('live: every brand stays listed; those without a real connector are disabled and marked not available', async () => {
    const b = await open({ mode: 'live' });
    expect(b.html).toMatch(/id="TESLA" class="brand-list-item" data-name="tesla">(<img [^>]+>)?<span>Tesla<\/span><\/button>/);
    expect(b.html).toMatch(/id="FORD" class="brand-list-item unavailable" data-name="ford" disabled aria-describedby="brands-unavailable">(<img [^>]+>)?<span>Ford<\/span> <small>Not available<\/small>/);
    expect(b.html).toMatch(/id="BMW" class="brand-list-item unavailable"[^>]* disabled/);
    expect(b.html).toContain('id="brands-unavailable"');
  });

  it('simulated and test: every brand is available', async () => {
    for (const mode of ['simulated', 'test']) {
      const b = await open({ mode });
      expect(b.html).not.toContain('brand-list-item unavailable');
      expect(b.html).toMatch(/id="FORD" class="brand-list-item" data-name="ford">/);
    }
  });

  it('live: choosing an unavailable brand returns vehicle_incompatible with the make, without asking the brand to sign in', async () => {
    const signIns = h.backend.signIns;
    const b = await open({ mode: 'live' });
    await b.post('brand', { make: 'FORD' });
    expect(b.status).toBe(303);
    expect(Object.fromEntries(b.result)).toMatchObject({ error: 'vehicle_incompatible', make: 'FORD', state: 'st' });
    expect(b.result.get('error_description')).toContain('live mode');
    expect(h.backend.signIns).toBe(signIns);
  });

  it('live: make= of an unavailable brand ends the same way; of an available one it goes to sign-in', async () => {
    const b = await open({ mode: 'live', make: 'BMW' });
    expect(Object.fromEntries(b.result)).toMatchObject({ error: 'vehicle_incompatible', make: 'BMW' });
    const t = await open({ mode: 'live', make: 'TESLA' });
    expect(t.html).toContain('Sign in to Tesla');
  });

  it('without mode, Connect uses the app\'s mode', async () => {
    const accounts = new AccountsRepo(h.storage.db);
    await accounts.updateApp(CLIENT.id, { mode: 'simulated' }, 1);
    let b = await open({});
    expect(b.html).toContain('Simulated vehicles');
    expect(b.html).not.toContain('brand-list-item unavailable');
    await accounts.updateApp(CLIENT.id, { mode: 'live' }, 2);
    b = await open({});
    expect(b.html).not.toContain('Simulated vehicles');
    expect(b.html).toMatch(/id="FORD" class="brand-list-item unavailable"/);
    b = await open({ mode: 'test' });
    expect(b.html).toContain('Test mode');
  });
});
