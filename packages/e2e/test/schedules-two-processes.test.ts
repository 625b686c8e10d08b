import { beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '@opencar/core';
import { issueMachineCredential } from '@opencar/oauth';
import { twoProcesses } from '../src/index.js';
import { connectVehicle } from './sdk-connect.js';

/**
 * Two real server processes on one PostgreSQL database, both running the charge-schedule loop:
 * a schedule's start and stop each fire exactly once. The simulated car's clock runs 60 times
 * faster (a vehicle minute per real second), so the schedule comes due within seconds.
 */
const URL_ = process.env.TEST_DATABASE_URL;
const CLIENT = { id: 'sched-client-0001', secret: 'sched-client-secret-0123456789', amt: 'sched-amt-0123456789abcdef', redirect: 'https://app.example/callback' };
const basic = `Basic ${Buffer.from(`${CLIENT.id}:${CLIENT.secret}`).toString('base64')}`;
const hhmm = (ms: number) => new Date(ms).toISOString().slice(11, 16);

describe.skipIf(!URL_)('charge schedules with two server processes sharing PostgreSQL', () => {
  let m2m = { clientId: '', clientSecret: '' };
  const pair = twoProcesses({
    url: URL_!, name: 'sched', client: CLIENT, secretKey: 'sched-two-secret-key-0123',
    beforeSecond: async (storage) => { m2m = await issueMachineCredential(storage, systemClock, CLIENT.id); },
  });
  const servers = pair.servers;
  let appToken = '';
  let car = { token: '', vehicleId: '' };
  let userId = '';

  beforeAll(async () => {
    const base = servers[0]!.base;
    car = await connectVehicle(base, CLIENT, { make: 'TESLA', email: '5YJ3E1EA7KF000008@bev.smartcar.com' }, ['read_vehicle_info', 'read_charge', 'control_charge']);
    userId = (await (await fetch(`${base}/v2.0/user`, { headers: { authorization: `Bearer ${car.token}` } })).json() as { id: string }).id;
    appToken = (await (await fetch(`${base}/oauth2/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ grant_type: 'client_credentials', client_id: m2m.clientId, client_secret: m2m.clientSecret }) })).json() as { access_token: string }).access_token;
    const sim = (path: string, method: string, body: unknown) => fetch(`${base}/simulator/vehicles/${car.vehicleId}/${path}`, { method, headers: { authorization: basic, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect((await sim('state', 'PATCH', { pluggedIn: true, charging: false, soc: 0.3, chargeLimit: 0.9 })).status).toBe(200);
    expect((await sim('clock', 'POST', { action: 'speed', factor: 60 })).status).toBe(200);
  }, 120_000);

  it('start and stop each fire once, whichever process claims them', async () => {
    const base = servers[1]!.base;
    const headers = { authorization: `Bearer ${appToken}`, 'sc-user-id': userId, 'content-type': 'application/json' };
    const view = await (await fetch(`${base}/simulator/vehicles/${car.vehicleId}`, { headers: { authorization: basic } })).json() as { clock: { virtualNowMs: number } };
    const minute = Math.ceil(view.clock.virtualNowMs / 60_000) * 60_000;
    const start = minute + 2 * 60_000;
    const created = await fetch(`${base}/v3/vehicles/${car.vehicleId}/charge-schedules/daily`, {
      method: 'POST', headers, body: JSON.stringify({ data: { attributes: { location: { latitude: 37.77, longitude: -122.42 }, startTime: hhmm(start), stopTime: hhmm(start + 3 * 60_000) } } }),
    });
    expect(created.status).toBe(200);
    const scheduleId = ((await created.json()) as { data: { attributes: { scheduleId: string } } }).data.attributes.scheduleId;
    let actions: string[] = [];
    for (let i = 0; i < 40 && !actions.includes('stop'); i++) {
      await new Promise((r) => setTimeout(r, 500));
      const list = await (await fetch(`${servers[i % 2]!.base}/v3/vehicles/${car.vehicleId}/charge-schedules/${scheduleId}/executions`, { headers })).json() as { data: { attributes: { action: string; status: { value: string } } }[] };
      actions = list.data.map((e) => `${e.attributes.action}:${e.attributes.status.value}`.replace(':SUCCESS', ''));
    }
    await new Promise((r) => setTimeout(r, 2500)); // both loops tick again: nothing fires twice
    const list = await (await fetch(`${base}/v3/vehicles/${car.vehicleId}/charge-schedules/${scheduleId}/executions`, { headers })).json() as { data: { attributes: { action: string; status: { value: string } } }[] };
    expect(list.data.map((e) => [e.attributes.action, e.attributes.status.value])).toEqual([['create', 'SUCCESS'], ['start', 'SUCCESS'], ['stop', 'SUCCESS']]);
  }, 60_000);
});
