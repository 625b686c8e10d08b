import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setState } from '@opencar/connectors';
import { auth, v3World, type V3App } from './fixture.js';

type W = Awaited<ReturnType<typeof v3World>>;
type Car = Awaited<ReturnType<W['connect']>>;
const keys = (o: object) => Object.keys(o).sort();
const hhmm = (ms: number) => new Date(ms).toISOString().slice(11, 16);
const MIN = 60_000;

async function vehicleClock(w: W, car: Car): Promise<number> {
  const c = await w.platform.backend.connector(car.vehicleId);
  return (await c!.connectivity!({ vehicleId: car.vehicleId, unitSystem: 'metric' })).capturedAt;
}
const post = (w: W, tok: string, car: Car, type: string, attributes: unknown) => w.app.inject({
  method: 'POST', url: `/v3/vehicles/${car.vehicleId}/charge-schedules/${type}`, headers: { ...auth(tok, car.userId), 'content-type': 'application/json' },
  payload: JSON.stringify({ data: { attributes } }),
});
async function isCharging(w: W, tok: string, car: Car): Promise<boolean> {
  const res = await w.app.inject({ url: `/v3/vehicles/${car.vehicleId}/signals/charge-ischarging`, headers: auth(tok, car.userId) });
  expect(res.statusCode, res.body).toBe(200);
  return res.json().attributes.body.value as boolean;
}
const HOME = { latitude: 37.7749, longitude: -122.4194 };

describe('v3 charge schedules run by the platform', () => {
  let w: W;
  let app: V3App;
  let tok: string;
  let bev: Car;
  let ice: Car;
  beforeAll(async () => {
    w = await v3World();
    await w.platform.chargeScheduleRunner.close(); // ticks are driven by the test
    app = await w.makeApp('schedules');
    bev = await w.connect(app, '5YJ3E1EA7KF000004@bev.smartcar.com');
    ice = await w.connect(app, '1FTFW1E50LFA00004@fuel.smartcar.com', undefined, 'FORD');
    tok = await w.appToken(app);
    await setState(w.platform.simulator.sim, bev.vehicleId, { pluggedIn: true, charging: false, soc: 0.4, chargeLimit: 0.9 });
  });
  afterAll(async () => w?.close());

  it('a vehicle without a traction battery answers 501 COMPATIBILITY VEHICLE_NOT_CAPABLE', async () => {
    const res = await post(w, tok, ice, 'daily', { location: HOME, startTime: '01:00', stopTime: '02:00' });
    expect(res.statusCode).toBe(501);
    expect(res.json().errors[0]).toMatchObject({ type: 'COMPATIBILITY', code: 'VEHICLE_NOT_CAPABLE' });
  });

  it.each([
    ['daily', { location: HOME, startTime: '25:00', stopTime: '02:00' }],
    ['daily', { startTime: '01:00', stopTime: '02:00' }],
    ['weekly', { location: HOME, days: { funday: { startTime: '01:00', stopTime: '02:00' } } }],
    ['workweek', { location: HOME, weekdays: { startTime: '01:00', stopTime: '02:00' } }],
  ])('refuses a malformed %s body with 400 INVALID_INPUT_FORMAT', async (type, attrs) => {
    const res = await post(w, tok, bev, type, attrs);
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0]).toMatchObject({ type: 'VALIDATION', code: 'INVALID_INPUT_FORMAT' });
  });

  it('answers the execution resource, then starts and stops charging on the vehicle clock and records each execution', async () => {
    const t0 = await vehicleClock(w, bev);
    const res = await post(w, tok, bev, 'daily', { location: HOME, startTime: hhmm(t0 + 10 * MIN), stopTime: hhmm(t0 + 70 * MIN) });
    expect(res.statusCode, res.body).toBe(200);
    const exec = res.json().data;
    expect(keys(exec)).toEqual(['attributes', 'id', 'links', 'meta', 'type']);
    expect(exec.type).toBe('charge-schedule-execution');
    expect(keys(exec.attributes)).toEqual(['action', 'executionMode', 'parameters', 'scheduleId', 'scheduleType', 'status']);
    expect(exec.attributes).toMatchObject({ action: 'create', scheduleType: 'daily', status: { value: 'SUCCESS' }, executionMode: 'sync' });
    expect(keys(exec.meta)).toEqual(['completedAt', 'durationInSeconds', 'executedAt']);
    const scheduleId = exec.attributes.scheduleId as string;
    expect(scheduleId).toMatch(/^sched_[0-9a-f]{32}$/);
    const timers = (await w.app.inject({ url: `/v3/vehicles/${bev.vehicleId}/signals/charge-chargetimers`, headers: auth(tok, bev.userId) })).json().attributes.body.values;
    expect(timers).toContainEqual(expect.objectContaining({ type: 'LOCATION', scheduleType: 'DAILY', scheduleId, condition: expect.objectContaining(HOME) }));

    expect(await w.platform.chargeScheduleRunner.tick()).toBe(0);
    expect(await isCharging(w, tok, bev)).toBe(false);
    w.clock.advance(11 * MIN);
    expect(await w.platform.chargeScheduleRunner.tick()).toBe(1);
    tok = await w.appToken(app);
    expect(await w.platform.chargeScheduleRunner.tick()).toBe(0);
    expect(await isCharging(w, tok, bev)).toBe(true);
    w.clock.advance(60 * MIN);
    expect(await w.platform.chargeScheduleRunner.tick()).toBe(1);
    tok = await w.appToken(app); // application tokens last an hour
    expect(await isCharging(w, tok, bev)).toBe(false);

    const list = (await w.app.inject({ url: `/v3/vehicles/${bev.vehicleId}/charge-schedules/${scheduleId}/executions`, headers: auth(tok, bev.userId) })).json();
    expect(list.data.map((e: { attributes: { action: string; status: { value: string } } }) => [e.attributes.action, e.attributes.status.value])).toEqual([['create', 'SUCCESS'], ['start', 'SUCCESS'], ['stop', 'SUCCESS']]);

    const del = await w.app.inject({ method: 'DELETE', url: `/v3/vehicles/${bev.vehicleId}/charge-schedules/${scheduleId}`, headers: auth(tok, bev.userId) });
    expect(del.statusCode).toBe(200);
    expect(del.json().data.attributes).toMatchObject({ action: 'delete', scheduleId });
    w.clock.advance(24 * 60 * MIN);
    expect(await w.platform.chargeScheduleRunner.tick()).toBe(0);
    tok = await w.appToken(app);
    expect((await w.app.inject({ method: 'DELETE', url: `/v3/vehicles/${bev.vehicleId}/charge-schedules/${scheduleId}`, headers: auth(tok, bev.userId) })).statusCode).toBe(404);
  });

  it('another app never sees or deletes the schedule', async () => {
    const t0 = await vehicleClock(w, bev);
    const { scheduleId } = (await post(w, tok, bev, 'workweek', { location: HOME, weekdays: { startTime: hhmm(t0 + 5 * MIN), stopTime: hhmm(t0 + 9 * MIN) }, weekends: { startTime: '09:00', stopTime: '10:00' } })).json().data.attributes;
    const other = await w.makeApp('other');
    const otherTok = await w.appToken(other);
    const res = await w.app.inject({ method: 'DELETE', url: `/v3/vehicles/${bev.vehicleId}/charge-schedules/${scheduleId}`, headers: auth(otherTok, bev.userId) });
    expect(res.statusCode).toBe(404);
  });
});

describe('v3 charge schedules survive a restart', () => {
  const dir = mkdtempSync(join(tmpdir(), 'opencar-sched-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a schedule made before the restart fires after it', async () => {
    const env = { DATABASE_URL: `sqlite:${join(dir, 'db.sqlite')}` };
    const first = await v3World(env);
    await first.platform.chargeScheduleRunner.close();
    const app = await first.makeApp('restart');
    const car = await first.connect(app, '5YJ3E1EA7KF000005@bev.smartcar.com');
    await setState(first.platform.simulator.sim, car.vehicleId, { pluggedIn: true, charging: false, soc: 0.3, chargeLimit: 0.9 });
    const tok = await first.appToken(app);
    const t0 = await vehicleClock(first, car);
    expect((await post(first, tok, car, 'weekly', { location: HOME, days: { [['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'][new Date(t0 + 20 * MIN).getUTCDay()]!]: { startTime: hhmm(t0 + 20 * MIN), stopTime: hhmm(t0 + 80 * MIN) } } })).statusCode).toBe(200);
    await first.close();

    const second = await v3World(env);
    await second.platform.chargeScheduleRunner.close();
    second.clock.advance(25 * MIN);
    expect(await second.platform.chargeScheduleRunner.tick()).toBe(1);
    expect(await isCharging(second, await second.appToken(app), car)).toBe(true);
    await second.close();
  });
});
