import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLIENT, connect, harness, type Harness } from './harness.js';

describe('Connect tells integrations about each new connection (autoSubscribe)', () => {
  let h: Harness;
  const calls: { appId: string; userId: string; vehicleIds: string[] }[] = [];
  let fail = false;
  beforeAll(async () => {
    h = await harness(undefined, { integrations: { connected: (appId, userId, vehicleIds) => { calls.push({ appId, userId, vehicleIds }); return fail ? Promise.reject(new Error('db down')) : Promise.resolve(); } } });
  });
  afterAll(async () => h?.close());

  it('v2 and v3 consents report the app, the owner and the chosen vehicles after the grant is stored', async () => {
    const v2 = await connect(h, {}, { email: '2-cars@x.test' });
    expect(v2.status).toBe(303);
    const v3 = await connect(h, { response_type: 'none', client_id: undefined, application_id: CLIENT.id }, { email: 'auto-v3@x.test' });
    expect(v3.status).toBe(303);
    expect(calls).toHaveLength(2);
    expect(calls[0]!.appId).toBe(CLIENT.id);
    expect(calls[0]!.userId).toBe('acct-TESLA-2-cars@x.test');
    expect(calls[1]).toEqual({ appId: CLIENT.id, userId: 'acct-TESLA-auto-v3@x.test', vehicleIds: ['acct-TESLA-auto-v3@x.test-v0'] });
    for (const c of calls) {
      const conns = (await h.grants.listConnections(CLIENT.id, { userId: c.userId }, { limit: 10 })).connections;
      expect(conns.map((x) => x.vehicleId).sort()).toEqual([...c.vehicleIds].sort());
    }
  });

  it('a failing integration hook does not undo the connection', async () => {
    fail = true;
    const b = await connect(h, { response_type: 'none', client_id: undefined, application_id: CLIENT.id }, { email: 'auto-fails@x.test' });
    fail = false;
    expect(b.status).toBe(303);
    expect(b.result.get('user_id')).toBe('acct-TESLA-auto-fails@x.test');
    expect((await h.grants.listConnections(CLIENT.id, { userId: 'acct-TESLA-auto-fails@x.test' }, { limit: 10 })).connections).toHaveLength(1);
  });
});
