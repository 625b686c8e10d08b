import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, ManualClock } from '@opencar/core';
import type { Storage } from '@opencar/storage';
import { openTestStorage, testEngines } from '@opencar/storage/testing';
import { SIGNALS_BY_CODE } from '@opencar/api';
import { IntegrationService, type IntegrationServiceOptions } from '../src/index.js';
import { SECRET, connect, seedApp, service, silent } from './fixtures.js';
import { IntegrationReceiver } from './integration-receiver.js';

const SOC = 'tractionbattery-stateofcharge';
const ODO = 'odometer-traveleddistance';
const LOCKED = 'closure-islocked';

async function refusal(p: Promise<unknown>): Promise<ApiError> {
  try { await p; } catch (err) { if (err instanceof ApiError) return err; throw err; }
  throw new Error('expected a refusal');
}

for (const engine of testEngines(process.env)) {
  describe.skipIf(!engine.url)(`v3 integrations: schema, verify, enable, subscribe [${engine.name}]`, () => {
    let storage: Storage;
    let dispose: () => Promise<void>;
    const clock = new ManualClock(Date.UTC(2026, 5, 1));
    let rx: IntegrationReceiver;
    let svc: IntegrationService;
    const subscribed: string[] = [];
    const make = (over: Partial<IntegrationServiceOptions> = {}) => new IntegrationService({
      storage, clock, log: silent, secretKey: SECRET, catalogue: SIGNALS_BY_CODE, timeoutMs: 10_000, targets: { allowPrivate: true },
      onSubscribed: (w, v) => { subscribed.push(`${w}/${v}`); return Promise.resolve(); }, ...over,
    });
    beforeAll(async () => {
      ({ storage, dispose } = await openTestStorage(engine));
      const amt = await seedApp(storage, 'app1');
      await seedApp(storage, 'app2');
      rx = new IntegrationReceiver(amt);
      await rx.start();
      svc = make();
    });
    afterAll(async () => { await rx?.stop(); await dispose?.(); });

    it('VERIFY goes out unsigned with data.challenge; verified integrations stay disabled until enabled; a wrong answer leaves it unverified and enabling is refused', async () => {
      rx.requests.length = 0;
      const hook = await svc.create('app1', { name: 'SoC watch', callbackUri: rx.url, triggers: [{ code: SOC }, { code: SOC, op: '<', value: 20, cooldownSeconds: 3600 }], signals: [SOC, ODO, SOC] });
      expect(hook.verification).toEqual({ verified: true });
      expect(hook).toMatchObject({ name: 'SoC watch', callbackUri: rx.url, errorCallbackUri: null, signals: [SOC, ODO], autoSubscribe: false, isEnabled: false, isVerified: true });
      expect(hook.triggers).toEqual([{ code: SOC }, { code: SOC, op: '<', value: 20, cooldownSeconds: 3600 }]);
      const [req] = rx.requests;
      expect(req!.headers['sc-signature']).toBeUndefined();
      expect(JSON.stringify(JSON.parse(req!.raw))).toBe(req!.raw);
      expect(Object.keys(req!.body)).toEqual(['eventId', 'eventType', 'data', 'meta']);
      expect(req!.body.eventType).toBe('VERIFY');
      expect(typeof req!.body.data!.challenge).toBe('string');
      expect(req!.body.meta).toEqual({ version: '4.0', webhookId: hook.id, webhookName: 'SoC watch', deliveryId: expect.any(String) as string, deliveredAt: clock.now() });
      expect((await svc.setEnabled('app1', hook.id, true)).isEnabled).toBe(true);
      const row = await storage.db.selectFrom('webhooks').selectAll().where('id', '=', hook.id).executeTakeFirstOrThrow();
      expect(row).toMatchObject({ api_version: '3', kind: 'integration', status: 'active', auto_subscribe: 0, error_url: null });
      expect((await svc.setEnabled('app1', hook.id, false)).isEnabled).toBe(false);
      expect((await storage.db.selectFrom('webhooks').select('status').where('id', '=', hook.id).executeTakeFirstOrThrow()).status).toBe('disabled');

      rx.answer = 'wrong';
      const bad = await svc.create('app1', { name: 'wrong key', callbackUri: rx.url, isEnabled: true });
      expect(bad.verification).toEqual({ verified: false, error: 'wrong challenge answer' });
      expect(bad).toMatchObject({ isVerified: false, isEnabled: false });
      const refused = await refusal(svc.setEnabled('app1', bad.id, true));
      expect(refused.statusCode).toBe(400);
      expect(refused.description).toMatch(/VERIFY/);
      rx.answer = 'error';
      expect((await svc.verify('app1', bad.id))).toEqual({ verified: false, error: 'HTTP 500' });
      rx.answer = 'ok';
      expect((await svc.verify('app1', bad.id))).toEqual({ verified: true });
      expect((await svc.update('app1', bad.id, { isEnabled: true })).isEnabled).toBe(true);
    });

    it('moving the callback URI unverifies and disables until the new address answers VERIFY', async () => {
      const hook = await svc.create('app1', { name: 'mover', callbackUri: rx.url, isEnabled: true });
      expect(hook.isEnabled).toBe(true);
      rx.answer = 'wrong';
      const moved = await svc.update('app1', hook.id, { callbackUri: `${rx.url}?v=2`, isEnabled: false });
      expect(moved).toMatchObject({ callbackUri: `${rx.url}?v=2`, isEnabled: false, isVerified: false, verification: { verified: false } });
      expect((await refusal(svc.update('app1', hook.id, { callbackUri: rx.url, isEnabled: true }))).statusCode).toBe(400);
      rx.answer = 'ok';
      expect((await svc.verify('app1', hook.id)).verified).toBe(true);
      expect((await svc.get('app1', hook.id))).toMatchObject({ isVerified: true, isEnabled: false });
      await svc.remove('app1', hook.id);
      expect((await refusal(svc.get('app1', hook.id))).statusCode).toBe(404);
    });

    it('bad input is refused with every problem named and nothing stored', async () => {
      const before = await storage.db.selectFrom('webhooks').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
      const err = await refusal(svc.create('app1', {
        name: 'bad', callbackUri: 'ftp://x.example/', errorCallbackUri: 'not a url',
        triggers: [{ code: 'vin' }, { code: SOC, op: '<', value: 'low' }, { code: SOC, op: 'changed', value: 1 }, { code: ODO, op: '>', value: 5, cooldownSeconds: -1 }, { code: SOC, extra: 1 }],
        signals: [SOC, 'nope'], autoSubscribe: 'yes' as unknown as boolean,
      }));
      expect(err.statusCode).toBe(400);
      expect(err.type).toBe('VALIDATION');
      expect((err.detail as { field: string }[]).map((d) => d.field)).toEqual([
        '/callbackUri', '/errorCallbackUri', '/triggers/0/code', '/triggers/1/value', '/triggers/2/value', '/triggers/3/cooldownSeconds', '/triggers/4', '/signals/1', '/autoSubscribe',
      ]);
      expect((await refusal(svc.create('app1', { callbackUri: rx.url }))).detail).toEqual([{ field: '/name', message: 'is required' }]);
      expect((await refusal(svc.create('app1', { name: 'dup', callbackUri: rx.url, triggers: [{ code: SOC }, { code: SOC }] }))).detail).toEqual([{ field: '/triggers/1', message: 'repeats an earlier trigger' }]);
      const after = await storage.db.selectFrom('webhooks').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
      expect(Number(after.n)).toBe(Number(before.n));
    });

    it('plan gating refuses signals and trigger codes the plan excludes, naming them and the plan page', async () => {
      const gated = make({ allowedSignals: (appId) => Promise.resolve(appId === 'app1' ? new Set([SOC, ODO]) : undefined), planUrl: 'http://opencar.test/dashboard/plans' });
      const err = await refusal(gated.create('app1', { name: 'gated', callbackUri: rx.url, triggers: [{ code: LOCKED }], signals: [SOC, 'location-preciselocation'] }));
      expect(err.type).toBe('BILLING');
      expect(err.description).toContain(`${LOCKED}, location-preciselocation`);
      expect(err.description).toContain('http://opencar.test/dashboard/plans');
      expect(err.resolution.url).toBe('http://opencar.test/dashboard/plans');
      const ok = await gated.create('app1', { name: 'gated ok', callbackUri: rx.url, triggers: [{ code: SOC }], signals: [ODO] });
      expect((await refusal(gated.update('app1', ok.id, { signals: [LOCKED] }))).type).toBe('BILLING');
      expect((await gated.get('app1', ok.id)).signals).toEqual([ODO]);
      await gated.remove('app1', ok.id);
    });

    it('lists with filters name, callbackUri, isEnabled, autoSubscribe and pages by offset; other apps see none of it', async () => {
      const other = await svc.create('app2', { name: 'theirs', callbackUri: rx.url });
      const made = [];
      for (let i = 0; i < 5; i += 1) {
        clock.advance(1000);
        made.push(await svc.create('app1', { name: `list-${i % 2}`, callbackUri: `${rx.url}?n=${i}`, autoSubscribe: i >= 3, isEnabled: i % 2 === 0 }));
      }
      const ids = (r: { items: { id: string }[] }) => r.items.map((x) => x.id);
      const all = await svc.list('app1', {}, { offset: 0, limit: 100 });
      expect(ids(all)).toEqual(expect.arrayContaining(made.map((m) => m.id)));
      expect(ids(all)).not.toContain(other.id);
      expect(ids(await svc.list('app1', { name: 'list-1' }, { offset: 0, limit: 100 }))).toEqual([made[1]!.id, made[3]!.id]);
      expect(ids(await svc.list('app1', { url: `${rx.url}?n=2` }, { offset: 0, limit: 100 }))).toEqual([made[2]!.id]);
      const enabled = await svc.list('app1', { enabled: true, name: 'list-0' }, { offset: 0, limit: 100 });
      expect(ids(enabled)).toEqual([made[0]!.id, made[2]!.id, made[4]!.id]);
      expect(ids(await svc.list('app1', { enabled: false, name: 'list-1' }, { offset: 0, limit: 100 }))).toEqual([made[1]!.id, made[3]!.id]);
      expect(ids(await svc.list('app1', { autoSubscribe: true }, { offset: 0, limit: 100 }))).toEqual([made[3]!.id, made[4]!.id]);
      const p2 = await svc.list('app1', { name: 'list-0' }, { offset: 2, limit: 2 });
      expect(p2).toMatchObject({ total: 3 });
      expect(ids(p2)).toEqual([made[4]!.id]);
      expect((await refusal(svc.get('app1', other.id))).statusCode).toBe(404);
      for (const m of made) await svc.remove('app1', m.id);
      await svc.remove('app2', other.id);
    });

    it('v2 webhook reads ignore integrations, and v2 subscribe calls cannot reach them', async () => {
      const v2 = service(storage, clock, { timeoutMs: 10_000 });
      const hook = await svc.create('app1', { name: 'v3 only', callbackUri: rx.url });
      expect((await v2.list('app1')).map((w) => w.id)).not.toContain(hook.id);
      await connect(storage, 'app1', 'veh-v2');
      expect(await v2.subscribe('app1', hook.id, 'veh-v2')).toBe(false);
      expect(await v2.unsubscribe('app1', hook.id, 'veh-v2')).toBe(false);
      await expect(v2.get('app1', hook.id)).rejects.toMatchObject({ statusCode: 404 });
      await v2.close();
      await svc.remove('app1', hook.id);
    });

    it('subscriptions: stored once (the second is a conflict), the hook runs once, filters and paging, unsubscribing, other apps and unconnected vehicles refused', async () => {
      subscribed.length = 0;
      const a = await svc.create('app1', { name: 'sub-a', callbackUri: rx.url });
      const b = await svc.create('app1', { name: 'sub-b', callbackUri: rx.url });
      await connect(storage, 'app1', 'veh-1', undefined, 'user-1');
      await connect(storage, 'app1', 'veh-2', undefined, 'user-2');
      await storage.db.updateTable('oauth_connections').set({ mode: 'live' }).where('vehicle_id', '=', 'veh-2').execute();
      const first = await svc.subscribe('app1', a.id, 'veh-1', 'user-1');
      expect(first).toMatchObject({ created: true, subscription: { webhookId: a.id, vehicleId: 'veh-1', userId: 'user-1', mode: 'simulated' } });
      expect((await svc.subscribe('app1', a.id, 'veh-1')).created).toBe(false);
      clock.advance(1000);
      expect((await svc.subscribe('app1', a.id, 'veh-2')).subscription.userId).toBe('user-2');
      clock.advance(1000);
      expect((await svc.subscribe('app1', b.id, 'veh-1')).created).toBe(true);
      expect(subscribed).toEqual([`${a.id}/veh-1`, `${a.id}/veh-2`, `${b.id}/veh-1`]);
      expect((await refusal(svc.subscribe('app1', a.id, 'veh-unknown'))).statusCode).toBe(404);
      expect((await refusal(svc.subscribe('app1', a.id, 'veh-1', 'user-2'))).statusCode).toBe(404);
      expect((await refusal(svc.subscribe('app2', a.id, 'veh-1'))).statusCode).toBe(404);
      const pick = (r: { items: { webhookId: string; vehicleId: string }[] }) => r.items.map((s) => `${s.webhookId === a.id ? 'a' : 'b'}/${s.vehicleId}`);
      const page = { offset: 0, limit: 100 };
      expect(pick(await svc.subscriptions('app1', {}, page))).toEqual(['a/veh-1', 'a/veh-2', 'b/veh-1']);
      expect(pick(await svc.subscriptions('app1', { webhookId: b.id }, page))).toEqual(['b/veh-1']);
      expect(pick(await svc.subscriptions('app1', { vehicleId: 'veh-1' }, page))).toEqual(['a/veh-1', 'b/veh-1']);
      expect(pick(await svc.subscriptions('app1', { userId: 'user-2' }, page))).toEqual(['a/veh-2']);
      expect(pick(await svc.subscriptions('app1', { mode: 'live' }, page))).toEqual(['a/veh-2']);
      expect(pick(await svc.subscriptions('app1', { mode: 'simulated' }, page))).toEqual(['a/veh-1', 'b/veh-1']);
      const second = await svc.subscriptions('app1', {}, { offset: 1, limit: 1 });
      expect(second.total).toBe(3);
      expect(pick(second)).toEqual(['a/veh-2']);
      expect((await svc.subscriptions('app2', {}, page)).total).toBe(0);
      // Only enabled integrations are watched.
      expect((await svc.repo.active(['veh-1', 'veh-2'])).filter((s) => [a.id, b.id].includes(s.webhook.id))).toEqual([]);
      rx.answer = 'ok';
      await svc.setEnabled('app1', a.id, true);
      expect((await svc.repo.active(['veh-1', 'veh-2'])).filter((s) => [a.id, b.id].includes(s.webhook.id)).map((s) => `${s.vehicleId}:${s.userId}`)).toEqual(['veh-1:user-1', 'veh-2:user-2']);
      expect(await svc.unsubscribe('app1', a.id, 'veh-2')).toBe(true);
      expect(await svc.unsubscribe('app1', a.id, 'veh-2')).toBe(false);
      expect(pick(await svc.subscriptions('app1', {}, page))).toEqual(['a/veh-1', 'b/veh-1']);
      await svc.remove('app1', b.id);
      expect(pick(await svc.subscriptions('app1', {}, page))).toEqual(['a/veh-1']);
      await svc.remove('app1', a.id);
    });

    it('autoSubscribe: a new connection subscribes to the integrations that ask for it, once, and runs the hook', async () => {
      subscribed.length = 0;
      const auto = await svc.create('app1', { name: 'auto', callbackUri: rx.url, autoSubscribe: true });
      const manual = await svc.create('app1', { name: 'manual', callbackUri: rx.url });
      await connect(storage, 'app1', 'veh-new', undefined, 'user-new');
      await svc.connected('app1', 'user-new', ['veh-new']);
      await svc.connected('app1', 'user-new', ['veh-new']);
      expect(subscribed).toEqual([`${auto.id}/veh-new`]);
      const subs = await svc.subscriptions('app1', { vehicleId: 'veh-new' }, { offset: 0, limit: 10 });
      expect(subs.items.map((s) => [s.webhookId, s.userId])).toEqual([[auto.id, 'user-new']]);
      expect(manual.autoSubscribe).toBe(false);
      await svc.remove('app1', auto.id);
      await svc.remove('app1', manual.id);
    });
  });
}
