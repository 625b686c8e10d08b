import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLIENT, connect, harness, token, type Harness } from './harness.js';

describe('Connect with the API v3 parameters', () => {
  let h: Harness;
  beforeAll(async () => { h = await harness(); });
  afterAll(async () => h?.close());

  it('application_id names the app; the redirect carries code, state, user_id and external_id', async () => {
    const b = await connect(h, { client_id: undefined, application_id: CLIENT.id, external_id: 'crm-42' }, { email: 'v3-owner@x.test' });
    expect(b.status).toBe(303);
    expect([...b.result.keys()].sort()).toEqual(['code', 'external_id', 'state', 'user_id']);
    expect(b.result.get('user_id')).toBe('acct-TESLA-v3-owner@x.test');
    expect(b.result.get('external_id')).toBe('crm-42');
    expect(b.result.get('state')).toBe('st-1');
    // The code still works at the v2 token endpoint.
    const t = await token(h, { grant_type: 'authorization_code', code: b.result.get('code')!, redirect_uri: CLIENT.redirect });
    expect(t.status).toBe(200);
    const [c] = (await h.grants.listConnections(CLIENT.id, { externalId: 'crm-42' }, { limit: 10 })).connections;
    expect(c).toMatchObject({ userId: 'acct-TESLA-v3-owner@x.test', externalId: 'crm-42' });
  });

  it('response_type=none returns no code, only user_id and state, and still connects the vehicle', async () => {
    const b = await connect(h, { response_type: 'none', client_id: undefined, application_id: CLIENT.id }, { email: 'no-code@x.test' });
    expect(b.status).toBe(303);
    expect([...b.result.keys()].sort()).toEqual(['state', 'user_id']);
    const conns = (await h.grants.listConnections(CLIENT.id, { userId: 'acct-TESLA-no-code@x.test' }, { limit: 10 })).connections;
    expect(conns).toHaveLength(1);
  });

  it('application_id without response_type means code; v2 requests keep their redirect exactly', async () => {
    const v3 = await connect(h, { response_type: undefined, client_id: undefined, application_id: CLIENT.id }, { email: 'default-code@x.test' });
    expect([...v3.result.keys()].sort()).toEqual(['code', 'state', 'user_id']);
    const v2 = await connect(h, {}, { email: 'v2-owner@x.test' });
    expect([...v2.result.keys()].sort()).toEqual(['code', 'state']);
  });

  it('refuses a client_id and application_id that disagree, and an over-long external_id', async () => {
    const bad = await connect(h, { application_id: '99999999-2222-4333-8444-555555555555' });
    expect(bad.status).toBe(400);
    expect(bad.location).toBeUndefined();
    const long = await connect(h, { application_id: CLIENT.id, external_id: 'x'.repeat(256) });
    expect(long.html).toContain('external_id must be 1 to 255 characters.');
  });
});
