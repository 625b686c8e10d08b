import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clockControl, setState } from '@opencar/connectors';
import { auth, v3World, type V3App } from './fixture.js';

type W = Awaited<ReturnType<typeof v3World>>;
type Car = Awaited<ReturnType<W['connect']>>;
const keys = (o: object) => Object.keys(o).sort();

describe('v3 commands', () => {
  let w: W;
  let app: V3App;
  let tok: string;
  let bev: Car;
  let ice: Car;
  beforeAll(async () => {
    w = await v3World();
    app = await w.makeApp('commands');
    bev = await w.connect(app, '5YJ3E1EA7KF000002@bev.smartcar.com');
    ice = await w.connect(app, '1FTFW1E50LFA00002@fuel.smartcar.com', undefined, 'FORD');
    tok = await w.appToken(app);
  });
  afterAll(async () => w?.close());

  const post = (car: Car, path: string, body?: unknown, userId: string | undefined = car.userId) => w.app.inject({
    method: 'POST', url: `/v3/vehicles/${car.vehicleId}/commands/${path}`, headers: { ...auth(tok, userId), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
  });
  const signal = async (car: Car, code: string) => (await w.app.inject({ url: `/v3/vehicles/${car.vehicleId}/signals/${code}`, headers: auth(tok, car.userId) })).json().attributes.body;

  it('locks and unlocks with one answer: the command-execution resource; the signal confirms', async () => {
    const res = await post(bev, 'security/unlock');
    expect(res.statusCode, res.body).toBe(200);
    expect(keys(res.json())).toEqual(['data']);
    const body = res.json().data;
    expect(keys(body)).toEqual(['attributes', 'id', 'meta', 'type']);
    expect(body.type).toBe('command-execution');
    expect(body.id).toMatch(/^exec_[0-9a-f]{32}$/);
    expect(body.attributes).toEqual({ command: 'security/unlock', status: { value: 'SUCCESS' }, executionMode: 'sync', parameters: {} });
    expect(keys(body.meta)).toEqual(['completedAt', 'durationInSeconds', 'executedAt']);
    expect(body.meta.executedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(await signal(bev, 'closure-islocked')).toEqual({ value: false });
    expect((await post(bev, 'security/lock', { data: { attributes: {} } })).statusCode).toBe(200);
    expect(await signal(bev, 'closure-islocked')).toEqual({ value: true });
  });

  it('set-limit takes an integer percent from 50 to 100', async () => {
    const res = await post(bev, 'charge/set-limit', { data: { attributes: { percent: 70 } } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().data.attributes.parameters).toEqual({ percent: 70 });
    expect((await signal(bev, 'charge-chargelimits')).activeLimit).toBe(70);
    for (const percent of [49, 101, 80.5, '80', null]) {
      const bad = await post(bev, 'charge/set-limit', { data: { attributes: { percent } } });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().errors[0]).toMatchObject({ status: '400', type: 'VALIDATION', code: 'INVALID_INPUT_FORMAT' });
    }
    expect((await post(bev, 'charge/set-limit', { percent: 70 })).statusCode).toBe(400);
  });

  it('sets a destination; bad coordinates and stray attributes are refused', async () => {
    expect((await post(bev, 'navigation/set-destination', { data: { attributes: { latitude: 48.137, longitude: 11.575 } } })).statusCode).toBe(200);
    expect((await post(bev, 'navigation/set-destination', { data: { attributes: { latitude: 91, longitude: 0 } } })).statusCode).toBe(400);
    expect((await post(bev, 'security/lock', { data: { attributes: { force: true } } })).statusCode).toBe(400);
  });

  it('opens and closes the charge port; starts and stops charging or answers the vehicle state', async () => {
    expect((await post(bev, 'charge-port/open')).statusCode).toBe(200);
    expect((await post(bev, 'charge-port/close')).statusCode).toBe(200);
    const start = await post(bev, 'charge/start');
    if (start.statusCode !== 200) expect(start.json().errors[0].type).toBe('VEHICLE_STATE');
    const stop = await post(bev, 'charge/stop');
    if (stop.statusCode !== 200) expect(stop.json().errors[0].type).toBe('VEHICLE_STATE');
  });

  it('needs sc-user-id, the permission and the capability', async () => {
    const noUser = await post(bev, 'security/lock', undefined, '');
    expect(noUser.json().errors[0]).toMatchObject({ status: '400', type: 'VALIDATION', code: 'MISSING_PARAMETER' });
    const narrow = await w.connect(app, 'narrow-commands@example.com', ['read_vehicle_info']);
    expect((await post(narrow, 'security/lock')).json().errors[0]).toMatchObject({ status: '403', type: 'PERMISSION' });
    const ice1 = await post(ice, 'charge/start');
    expect(ice1.statusCode).toBe(501);
    expect(ice1.json().errors[0]).toMatchObject({ type: 'COMPATIBILITY', code: 'VEHICLE_NOT_CAPABLE' });
  });

  it('a v3 error carries the first error\'s type, code and description at the top level for the Node SDK', async () => {
    const res = await post(ice, 'charge/start');
    const body = res.json();
    expect(keys(body)).toEqual(['code', 'description', 'docURL', 'errors', 'resolution', 'suggestedUserMessage', 'type']);
    expect(body).toMatchObject({ type: 'COMPATIBILITY', code: 'VEHICLE_NOT_CAPABLE' });
  });
});

describe('v3 commands: the 202 contract', () => {
  let w: W;
  let url: string;
  let tok: string;
  let car: Car;
  beforeAll(async () => {
    w = await v3World({ OPENCAR_V3_COMMAND_SYNC_MS: '30' });
    const app = await w.makeApp('slow');
    car = await w.connect(app, '5YJ3E1EA7KF000003@bev.smartcar.com');
    tok = await w.appToken(app);
    // Realistic latency on a vehicle clock running 20 times faster: a command takes some 100–1000 ms of real time.
    await setState(w.platform.simulator.sim, car.vehicleId, { latency: 'realistic' });
    await clockControl(w.platform.simulator.sim, car.vehicleId, { action: 'speed', factor: 20 });
    url = await w.app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => w?.close());

  it('a command slower than the threshold answers 202 at once and streams the outcome on the same connection', async () => {
    const started = Date.now();
    const res = await fetch(`${url}/v3/vehicles/${car.vehicleId}/commands/security/unlock`, { method: 'POST', headers: auth(tok, car.userId) });
    expect(res.status).toBe(202);
    expect(res.headers.get('content-length')).toBeNull();
    expect(res.headers.get('sc-request-id')).toHaveLength(36);
    const body = await res.json();
    expect(Date.now() - started).toBeGreaterThanOrEqual(30);
    expect(body.data).toMatchObject({ type: 'command-execution', attributes: { command: 'security/unlock', status: { value: 'SUCCESS' }, executionMode: 'async' } });
    const rows = await w.platform.storage.db.selectFrom('ledger').selectAll().where('endpoint', '=', 'POST /v3/vehicles/:id/commands/security/unlock').execute();
    expect(rows.map((r) => [Number(r.status), Number(r.units)])).toEqual([[200, 1]]);
  });

  it('a slow command that fails streams the v3 error object, whose status is the outcome\'s', async () => {
    const res = await fetch(`${url}/v3/vehicles/${car.vehicleId}/commands/charge/stop`, { method: 'POST', headers: auth(tok, car.userId) });
    if (res.status === 200) return; // the car happened to be charging
    expect(res.status).toBe(202);
    const body = await res.json();
    expect(body.errors[0].type).toBe('VEHICLE_STATE');
    expect(body.errors[0].status).toBe('409');
  });
});
