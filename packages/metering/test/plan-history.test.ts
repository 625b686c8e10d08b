import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PlanHistoryRepo } from '@opencar/storage';
import { changePlan, periodsInMonth } from '../src/index.js';
import { testApp } from '../../../apps/server/test/helpers.js';
import { FormClient, inputValue } from '../../web/test/browser-client.js';

type T = Awaited<ReturnType<typeof testApp>>;

async function devWithApp(t: T) {
  const c = new FormClient(t.app);
  await c.get('/dashboard/signup');
  await c.post('/dashboard/signup', { name: 'Dev', email: 'dev@example.com', password: 'correct horse battery', accept_tos: 'on' });
  await c.get('/dashboard/apps/new');
  const res = await c.post('/dashboard/apps', { name: 'Plans', redirect_uris: 'https://app.example/cb', scope: ['read_odometer'], mode: 'simulated' });
  const dev = await t.platform.storage.db.selectFrom('developers').selectAll().executeTakeFirstOrThrow();
  return { c, appId: inputValue(res.body, 'client-id')!, devId: dev.id, dev };
}

const billable = (appId: string, i: number, at: number) => ({
  requestId: `r-${i}`, at, appId, vehicleId: 'veh-1', userId: 'u1', endpoint: 'GET /v2.0/vehicles/:id/odometer', method: 'GET', status: 200, latencyMs: 5, units: 1, woke: false, requestClass: 'data' as const,
});

describe('plan history: a plan change applies from the moment it is made', () => {
  let t: T;
  beforeEach(async () => { t = await testApp(); });
  afterEach(async () => t.close());

  it('requests before a change keep the old price; the month is split into periods and its statement bills both', async () => {
    const { appId, devId } = await devWithApp(t);
    const start = t.clock.now(); // 2026-11-01T00:00Z
    for (let i = 0; i < 3; i++) await t.platform.metering.record(billable(appId, i, start + 60_000 * (i + 1)));
    t.clock.set(start + 10 * 86_400_000);
    await changePlan(t.platform.storage, t.clock, devId, 'payg', { source: 'developer' });
    t.platform.metering.invalidatePlans();
    for (let i = 3; i < 5; i++) await t.platform.metering.record(billable(appId, i, t.clock.now() + 60_000 * i));
    await t.platform.metering.flush();
    const u = await t.platform.usage.usage(appId);
    expect(u.billableRequests).toBe(5);
    expect(u.amountDueCents).toBe(30); // 3 × $0.00 on Free, 2 × $0.15 on Pay as you go — not 5 × $0.15
    const periods = await t.platform.usage.periods(appId);
    expect(periods.map((p) => [p.plan, p.billableRequests, p.amountDueCents, new Date(p.from).toISOString()])).toEqual([
      ['free', 3, 0, '2026-11-01T00:00:00.000Z'], ['payg', 2, 30, '2026-11-11T00:00:00.000Z'],
    ]);
    t.clock.set(Date.UTC(2026, 11, 1, 0, 5));
    await t.platform.usage.closeFinishedMonths();
    expect((await t.platform.usage.statement(appId, '2026-11'))!.amountDueCents).toBe(30);
    // Changing back and forth keeps every period.
    await changePlan(t.platform.storage, t.clock, devId, 'free', { source: 'operator' });
    expect((await new PlanHistoryRepo(t.platform.storage.db).history(devId)).map((h) => [h.plan, h.source])).toEqual([['free', 'signup'], ['payg', 'developer'], ['free', 'operator']]);
  });

  it('the operator can set any plan, with limit overrides, and clear them again', async () => {
    const { devId } = await devWithApp(t);
    await changePlan(t.platform.storage, t.clock, devId, 'enterprise', { source: 'operator', limits: { requestsPerMonth: 50_000 } });
    let dev = await t.platform.storage.db.selectFrom('developers').selectAll().where('id', '=', devId).executeTakeFirstOrThrow();
    expect([dev.plan, dev.plan_limits]).toEqual(['enterprise', '{"requestsPerMonth":50000}']);
    await changePlan(t.platform.storage, t.clock, devId, 'payg', { source: 'operator', limits: null });
    dev = await t.platform.storage.db.selectFrom('developers').selectAll().where('id', '=', devId).executeTakeFirstOrThrow();
    expect([dev.plan, dev.plan_limits]).toEqual(['payg', null]);
    await expect(changePlan(t.platform.storage, t.clock, devId, 'gold' as 'free', { source: 'operator' })).rejects.toThrow(/unknown plan/);
  });

  it('an account with no history (created before plan history) records its earlier plan at its first change', async () => {
    const { devId, dev } = await devWithApp(t);
    await t.platform.storage.db.deleteFrom('plan_history').execute();
    expect(periodsInMonth([], dev, '2026-11')).toHaveLength(1);
    t.clock.advance(3_600_000);
    await changePlan(t.platform.storage, t.clock, devId, 'payg', { source: 'developer' });
    const h = await new PlanHistoryRepo(t.platform.storage.db).history(devId);
    expect(h.map((r) => [r.plan, r.starts_at])).toEqual([['free', dev.created_at], ['payg', t.clock.now()]]);
  });

  it('OPENCAR_DEFAULT_PLAN sets the plan of new sign-ups, recorded as their first period', async () => {
    await t.close();
    t = await testApp({ OPENCAR_DEFAULT_PLAN: 'payg' });
    const { devId, dev } = await devWithApp(t);
    expect(dev.plan).toBe('payg');
    expect((await new PlanHistoryRepo(t.platform.storage.db).history(devId)).map((h) => [h.plan, h.source])).toEqual([['payg', 'signup']]);
    await expect(testApp({ OPENCAR_DEFAULT_PLAN: 'gold' })).rejects.toThrow(/OPENCAR_DEFAULT_PLAN/);
  });
});

describe('simulated and test traffic has its own, wider app bucket', () => {
  let t: T;
  beforeEach(async () => { t = await testApp({ OPENCAR_SIMULATED_BUCKET_CAPACITY: '300', OPENCAR_SIMULATED_BUCKET_REFILL_PER_MINUTE: '60' }); });
  afterEach(async () => t.close());

  it('simulated requests pass where live ones are throttled at the plan bucket (120), and each bucket reports its state', async () => {
    const { appId } = await devWithApp(t);
    const admit = (mode: 'live' | 'simulated' | 'test') => t.platform.metering.admit({ appId, endpoint: 'GET /v2.0/vehicles', units: 0, mode }).then(() => 'ok', (e: { type: string }) => e.type);
    for (let i = 0; i < 120; i++) expect(await admit('live')).toBe('ok');
    expect(await admit('live')).toBe('RATE_LIMIT');
    for (let i = 0; i < 200; i++) expect(await admit(i % 2 ? 'simulated' : 'test')).toBe('ok');
    const states = await t.platform.metering.bucketStates(appId);
    expect(states).toEqual({
      live: { capacity: 120, refillPerMinute: 2, tokens: 0, resetSeconds: 3600 },
      simulated: { capacity: 300, refillPerMinute: 60, tokens: 100, resetSeconds: 200 },
    });
    for (let i = 0; i < 100; i++) expect(await admit('simulated')).toBe('ok');
    expect(await admit('simulated')).toBe('RATE_LIMIT');
  });
});
