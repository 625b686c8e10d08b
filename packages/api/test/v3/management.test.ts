import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encryptSecret, sha256, uuid } from '@opencar/core';
import { AccountsRepo } from '@opencar/storage';
import { issueMachineCredential } from '@opencar/oauth';
import { FREE_WEBHOOK_SIGNALS } from '@opencar/metering';
import { SIGNALS_BY_CODE } from '../../src/index.js';
import { IntegrationReceiver } from '../../../webhooks/test/integration-receiver.js';
import { auth, v3World, type V3App } from './fixture.js';

const SOC = 'tractionbattery-stateofcharge';
const RANGE = 'tractionbattery-range';

type World = Awaited<ReturnType<typeof v3World>>;
type Doc = { data: { id: string; type: string; attributes: Record<string, unknown> }[]; meta: Record<string, unknown>; links: Record<string, string | null> };

describe('management v3: applications, webhooks (integrations) and subscriptions with the application token', () => {
  let w: World;
  let mine: V3App;
  let theirs: V3App;
  let token: string;
  let otherToken: string;
  let rx: IntegrationReceiver;
  const amt = 'amt-management-v3-0123456789';

  beforeAll(async () => {
    w = await v3World({ OPENCAR_WEBHOOK_ALLOW_PRIVATE: 'true' });
    // An app whose AMT is real: VERIFY is answered with it.
    const accounts = new AccountsRepo(w.platform.storage.db);
    const devId = uuid();
    await accounts.createDeveloper({ id: devId, email: `m-${devId}@example.com`, password_hash: null, name: 'M', tos_version: null, tos_accepted_at: null, plan: 'enterprise', plan_limits: null, status: 'active', created_at: 0 });
    const id = uuid();
    await accounts.createApp({ id, developerId: devId, name: 'Fleet Hooks', logoUrl: null, clientSecretHash: sha256('legacy'), amtHash: sha256(amt), amtEnc: encryptSecret(w.platform.secretKey, amt), redirectUris: ['https://app.example/cb'], defaultScope: ['read_battery'], mode: 'simulated', simLatency: null }, w.clock.now());
    const m = await issueMachineCredential(w.platform.storage, w.clock, id);
    mine = { id, legacySecret: 'legacy', v3ClientId: m.clientId, v3Secret: m.clientSecret };
    theirs = await w.makeApp('Other');
    token = await w.appToken(mine);
    otherToken = await w.appToken(theirs);
    rx = new IntegrationReceiver(amt);
    await rx.start();
  });
  afterAll(async () => { await rx?.stop(); await w?.close(); });

  const call = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown, t = token) =>
    w.app.inject({ method, url, headers: { ...auth(t), ...(payload === undefined ? {} : { 'content-type': 'application/json' }) }, ...(payload === undefined ? {} : { payload: JSON.stringify(payload) }) });
  const hook = (attributes: Record<string, unknown>) => ({ data: { type: 'webhook', attributes } });

  it('applications: the token sees its own application and its machine credential ids, never secrets; another id is 404', async () => {
    const list = await call('GET', '/v3/applications');
    expect(list.statusCode).toBe(200);
    const doc = list.json() as Doc;
    expect(doc.data.map((a) => a.id)).toEqual([mine.id]);
    expect(doc.data[0]!.attributes).toMatchObject({ name: 'Fleet Hooks', mode: 'simulated' });
    expect(doc.meta).toMatchObject({ totalCount: 1, pageNumber: 1 });
    expect((await call('GET', `/v3/applications/${mine.id}`)).json()).toMatchObject({ data: { id: mine.id, type: 'application' } });
    const secrets = await call('GET', `/v3/applications/${mine.id}/secrets`);
    expect(secrets.json()).toMatchObject({ data: [{ id: mine.v3ClientId, type: 'secret', attributes: { clientId: mine.v3ClientId } }] });
    expect(secrets.body).not.toContain(mine.v3Secret);
    for (const url of [`/v3/applications/${theirs.id}`, `/v3/applications/${theirs.id}/secrets`]) {
      const r = await call('GET', url);
      expect(r.statusCode).toBe(404);
      expect(r.json()).toMatchObject({ errors: [{ status: '404', type: 'RESOURCE_NOT_FOUND' }] });
    }
    // A user's access token is not an application token.
    const { userToken } = await w.connect(mine, 'mgmt-owner@x.test');
    expect((await call('GET', '/v3/applications', undefined, userToken)).statusCode).toBe(401);
  });

  it('webhooks: create (VERIFY answered, enabled), read, change, filters and paging, delete; bad input is a 400 in the v3 shape; other apps get 404', async () => {
    const created = await call('POST', '/v3/webhooks', hook({ name: 'Low SoC', callbackUri: rx.url, triggers: [{ code: SOC, op: '<', value: 20, cooldownSeconds: 3600 }], signals: [SOC, RANGE], isEnabled: true }));
    expect(created.statusCode).toBe(201);
    const body = created.json() as { data: { id: string; attributes: Record<string, unknown> }; meta: { verification: unknown } };
    expect(body.meta.verification).toEqual({ verified: true });
    expect(body.data.attributes).toMatchObject({ name: 'Low SoC', callbackUri: rx.url, errorCallbackUri: null, signals: [SOC, RANGE], autoSubscribe: false, isEnabled: true, isVerified: true });
    expect(created.headers.location).toBe(`http://opencar.test/v3/webhooks/${body.data.id}`);
    const id = body.data.id;
    expect((await call('GET', `/v3/webhooks/${id}`)).json()).toMatchObject({ data: { id, type: 'webhook', attributes: { triggers: [{ code: SOC, op: '<', value: 20, cooldownSeconds: 3600 }] } } });
    const patched = await call('PATCH', `/v3/webhooks/${id}`, hook({ isEnabled: false, autoSubscribe: true, errorCallbackUri: `${rx.url}/errors` }));
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({ data: { attributes: { isEnabled: false, autoSubscribe: true, errorCallbackUri: `${rx.url}/errors` } } });

    for (let i = 0; i < 4; i += 1) {
      w.clock.advance(1000);
      expect((await call('POST', '/v3/webhooks', hook({ name: `bulk-${i}`, callbackUri: `${rx.url}?i=${i}`, isEnabled: i < 2 }))).statusCode).toBe(201);
    }
    const names = (r: { json(): unknown }) => (r.json() as Doc).data.map((d) => d.attributes.name);
    expect(names(await call('GET', '/v3/webhooks'))).toEqual(['Low SoC', 'bulk-0', 'bulk-1', 'bulk-2', 'bulk-3']);
    expect(names(await call('GET', '/v3/webhooks?filter[isEnabled]=true'))).toEqual(['bulk-0', 'bulk-1']);
    expect(names(await call('GET', '/v3/webhooks?filter[isEnabled]=false'))).toEqual(['Low SoC', 'bulk-2', 'bulk-3']);
    expect(names(await call('GET', '/v3/webhooks?filter[autoSubscribe]=true'))).toEqual(['Low SoC']);
    expect(names(await call('GET', '/v3/webhooks?filter[name]=bulk-2'))).toEqual(['bulk-2']);
    expect(names(await call('GET', `/v3/webhooks?filter[callbackUri]=${encodeURIComponent(`${rx.url}?i=3`)}`))).toEqual(['bulk-3']);
    const p2 = await call('GET', '/v3/webhooks?page[size]=2&page[number]=2&filter[autoSubscribe]=false');
    const doc = p2.json() as Doc;
    expect(doc.data.map((d) => d.attributes.name)).toEqual(['bulk-2', 'bulk-3']);
    expect(doc.meta).toMatchObject({ pageNumber: 2, pageSize: 2, totalCount: 4 });
    expect(doc.links.prev).toBe('http://opencar.test/v3/webhooks?filter%5BautoSubscribe%5D=false&page%5Bnumber%5D=1&page%5Bsize%5D=2');
    expect(doc.links.next).toBeNull();
    expect((await call('GET', '/v3/webhooks?page[size]=101')).statusCode).toBe(400);
    expect((await call('GET', '/v3/webhooks?filter[isEnabled]=maybe')).statusCode).toBe(400);
    expect((await call('GET', '/v3/webhooks?filter[color]=red')).statusCode).toBe(400);

    const bad = await call('POST', '/v3/webhooks', hook({ name: 'bad', callbackUri: rx.url, triggers: [{ code: 'vin' }], signals: ['nope'] }));
    expect(bad.statusCode).toBe(400);
    const err = bad.json() as { errors: { status: string; type: string; code: string; detail: string }[]; type: string };
    expect(err.errors[0]).toMatchObject({ status: '400', type: 'VALIDATION', code: 'INVALID_INPUT_FORMAT' });
    expect(err.errors[0]!.detail).toContain('triggers/0/code: vin is not a signal code of the catalogue');
    expect(err.errors[0]!.detail).toContain('signals/0: nope is not a signal code of the catalogue');
    expect((await call('POST', '/v3/webhooks', { name: 'flat' })).statusCode).toBe(400);
    expect((await call('POST', '/v3/webhooks', hook({ name: 'x', callbackUri: rx.url, colour: 'red' }))).statusCode).toBe(400);
    expect((await call('POST', '/v3/webhooks', hook({ name: 5, callbackUri: rx.url }))).statusCode).toBe(400);
    expect(names(await call('GET', '/v3/webhooks'))).toHaveLength(5);

    expect((await call('GET', `/v3/webhooks/${id}`, undefined, otherToken)).statusCode).toBe(404);
    expect((await call('PATCH', `/v3/webhooks/${id}`, hook({ name: 'stolen' }), otherToken)).statusCode).toBe(404);
    expect((await call('DELETE', `/v3/webhooks/${id}`, undefined, otherToken)).statusCode).toBe(404);
    expect((await call('GET', '/v3/webhooks', undefined, otherToken)).json()).toMatchObject({ data: [], meta: { totalCount: 0 } });

    rx.answer = 'wrong';
    const moved = await call('PATCH', `/v3/webhooks/${id}`, hook({ callbackUri: `${rx.url}?moved=1` }));
    expect(moved.json()).toMatchObject({ data: { attributes: { isVerified: false, isEnabled: false } }, meta: { verification: { verified: false } } });
    const refused = await call('PATCH', `/v3/webhooks/${id}`, hook({ isEnabled: true }));
    expect(refused.statusCode).toBe(400);
    expect(refused.json().errors[0].detail).toMatch(/VERIFY/);
    rx.answer = 'ok';
    expect((await call('POST', `/v3/webhooks/${id}/verify`)).json()).toMatchObject({ meta: { verification: { verified: true } }, data: { attributes: { isVerified: true, isEnabled: false } } });
    expect((await call('DELETE', `/v3/webhooks/${id}`)).statusCode).toBe(204);
    expect((await call('GET', `/v3/webhooks/${id}`)).statusCode).toBe(404);
  });

  it('subscriptions: POST 202 then 409, both route spellings, filters and page[size] up to 100, DELETE; unknown or foreign ids refused', async () => {
    const made = await call('POST', '/v3/webhooks', hook({ name: 'subs', callbackUri: rx.url, triggers: [{ code: SOC }], signals: [SOC], isEnabled: true }));
    const webhookId = (made.json() as { data: { id: string } }).data.id;
    const a = await w.connect(mine, 'sub-a@x.test');
    const b = await w.connect(mine, 'sub-b@x.test');
    const sub = (attrs: Record<string, unknown>) => ({ data: { type: 'subscription', attributes: attrs } });
    const first = await call('POST', '/v3/subscriptions', sub({ webhookId, userId: a.userId, vehicleId: a.vehicleId }));
    expect(first.statusCode).toBe(202);
    expect(first.json()).toEqual({ meta: { message: 'subscription creation in progress' } });
    const again = await call('POST', '/v3/subscriptions', sub({ webhookId, userId: a.userId, vehicleId: a.vehicleId }));
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ errors: [{ status: '409', type: 'VALIDATION', code: 'ALREADY_EXISTS' }] });
    w.clock.advance(1000);
    expect((await call('POST', `/v3/webhooks/${webhookId}/subscriptions`, sub({ vehicleId: b.vehicleId }))).statusCode).toBe(202);
    expect((await call('POST', `/v3/webhooks/${webhookId}/subscriptions`, sub({ vehicleId: b.vehicleId }))).statusCode).toBe(409);

    const vehicles = (r: { json(): unknown }) => (r.json() as Doc).data.map((d) => d.attributes.vehicleId);
    const all = await call('GET', '/v3/subscriptions');
    expect(vehicles(all)).toEqual([a.vehicleId, b.vehicleId]);
    expect((all.json() as Doc).data[0]).toEqual({ id: `${webhookId}:${a.vehicleId}`, type: 'subscription', attributes: { webhookId, vehicleId: a.vehicleId, userId: a.userId, createdAt: expect.any(String) as string, vehicle: { mode: 'simulated' } } });
    expect((all.json() as Doc).meta).toMatchObject({ pageSize: 25, totalCount: 2 });
    expect(vehicles(await call('GET', `/v3/subscriptions?filter[userId]=${b.userId}`))).toEqual([b.vehicleId]);
    expect(vehicles(await call('GET', `/v3/subscriptions?filter[vehicleId]=${a.vehicleId}`))).toEqual([a.vehicleId]);
    expect(vehicles(await call('GET', `/v3/subscriptions?filter[webhookId]=${webhookId}&filter[vehicle.mode]=simulated`))).toEqual([a.vehicleId, b.vehicleId]);
    expect(vehicles(await call('GET', '/v3/subscriptions?filter[vehicle.mode]=live'))).toEqual([]);
    expect(vehicles(await call('GET', `/v3/webhooks/${webhookId}/subscriptions?page[size]=1&page[number]=2`))).toEqual([b.vehicleId]);
    expect((await call('GET', '/v3/subscriptions?page[size]=100')).statusCode).toBe(200);
    expect((await call('GET', '/v3/subscriptions?page[size]=101')).statusCode).toBe(400);
    expect((await call('GET', '/v3/subscriptions?filter[vehicle.mode]=test')).statusCode).toBe(400);
    expect((await call('GET', '/v3/subscriptions', undefined, otherToken)).json()).toMatchObject({ data: [], meta: { totalCount: 0 } });
    expect((await call('GET', `/v3/webhooks/${webhookId}/subscriptions`, undefined, otherToken)).statusCode).toBe(404);

    expect((await call('POST', '/v3/subscriptions', sub({ webhookId, vehicleId: 'not-connected' }))).statusCode).toBe(404);
    expect((await call('POST', '/v3/subscriptions', sub({ webhookId, vehicleId: a.vehicleId }), otherToken)).statusCode).toBe(404);
    const missing = await call('POST', '/v3/subscriptions', sub({ webhookId }));
    expect(missing.statusCode).toBe(400);
    expect(missing.json()).toMatchObject({ errors: [{ code: 'MISSING_PARAMETER' }] });

    expect((await call('DELETE', `/v3/subscriptions?filter[webhookId]=${webhookId}&filter[vehicleId]=${a.vehicleId}`)).statusCode).toBe(204);
    expect((await call('DELETE', `/v3/subscriptions?filter[webhookId]=${webhookId}&filter[vehicleId]=${a.vehicleId}`)).statusCode).toBe(404);
    expect((await call('DELETE', `/v3/webhooks/${webhookId}/subscriptions`, sub({ vehicleId: b.vehicleId }))).statusCode).toBe(204);
    expect(vehicles(await call('GET', '/v3/subscriptions'))).toEqual([]);
  });

  it('autoSubscribe: a new connection of the app is subscribed to the integrations that ask for it, and listed', async () => {
    const made = await call('POST', '/v3/webhooks', hook({ name: 'auto', callbackUri: rx.url, autoSubscribe: true }));
    const webhookId = (made.json() as { data: { id: string } }).data.id;
    const c = await w.connect(mine, 'auto-owner@x.test');
    await w.platform.integrations.connected(mine.id, c.userId, c.vehicleIds);
    const listed = (await call('GET', `/v3/subscriptions?filter[webhookId]=${webhookId}`)).json() as Doc;
    expect(listed.data.map((d) => [d.attributes.vehicleId, d.attributes.userId])).toEqual(c.vehicleIds.map((v) => [v, c.userId]));
  });

  it('plan gating: a Free app may put only the Free signals into a webhook; the refusal names the others and links the plans page; plan_limits can widen it', async () => {
    expect(FREE_WEBHOOK_SIGNALS.filter((c) => !SIGNALS_BY_CODE.has(c))).toEqual([]);
    const accounts = new AccountsRepo(w.platform.storage.db);
    const devId = uuid();
    await accounts.createDeveloper({ id: devId, email: `free-${devId}@example.com`, password_hash: null, name: 'F', tos_version: null, tos_accepted_at: null, plan: 'free', plan_limits: null, status: 'active', created_at: 0 });
    const id = uuid();
    await accounts.createApp({ id, developerId: devId, name: 'Free Hooks', logoUrl: null, clientSecretHash: sha256('legacy-free'), amtHash: sha256(`${amt}-free`), amtEnc: encryptSecret(w.platform.secretKey, amt), redirectUris: ['https://app.example/cb'], defaultScope: ['read_battery'], mode: 'simulated', simLatency: null }, w.clock.now());
    const m = await issueMachineCredential(w.platform.storage, w.clock, id);
    const free = await w.appToken({ id, legacySecret: 'legacy-free', v3ClientId: m.clientId, v3Secret: m.clientSecret });
    const refused = await call('POST', '/v3/webhooks', hook({ name: 'charging', callbackUri: rx.url, triggers: [{ code: 'charge-ischarging' }], signals: [SOC, 'location-preciselocation'] }), free);
    expect(refused.statusCode).toBe(430);
    const e = (refused.json() as { errors: { type: string; code: string; detail: string }[]; resolution: { url?: string } });
    expect(e.errors[0]).toMatchObject({ type: 'BILLING', code: 'INVALID_PLAN' });
    expect(e.errors[0]!.detail).toContain('charge-ischarging, location-preciselocation');
    expect(e.errors[0]!.detail).toContain('http://opencar.test/dashboard/plans');
    expect(e.resolution.url).toBe('http://opencar.test/dashboard/plans');
    expect((await call('GET', '/v3/webhooks', undefined, free)).json()).toMatchObject({ meta: { totalCount: 0 } });
    expect((await call('POST', '/v3/webhooks', hook({ name: 'soc', callbackUri: rx.url, triggers: [{ code: SOC }], signals: [SOC, RANGE] }), free)).statusCode).toBe(201);
    await w.platform.storage.db.updateTable('developers').set({ plan_limits: JSON.stringify({ webhookSignals: [SOC, RANGE, 'charge-ischarging', 'location-preciselocation'] }) }).where('id', '=', devId).execute();
    w.platform.metering.invalidatePlans();
    expect((await call('POST', '/v3/webhooks', hook({ name: 'charging', callbackUri: rx.url, triggers: [{ code: 'charge-ischarging' }], signals: [SOC, 'location-preciselocation'] }), free)).statusCode).toBe(201);
  });
});
