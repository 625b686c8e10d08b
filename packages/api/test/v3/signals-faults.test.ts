import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { injectFault } from '@opencar/connectors';
import { bodyOf, SIGNALS, SIGNALS_BY_CODE } from '../../src/routes/v3/signal-map.js';
import { auth, v3World, type V3App } from './fixture.js';

type W = Awaited<ReturnType<typeof v3World>>;
type Car = Awaited<ReturnType<W['connect']>>;
interface Signal { id: string; attributes: { status: { value: string; error?: { type: string; code: string } }; body: unknown } }

/**
 * v3 signals while an injected `UPSTREAM:RATE_LIMIT` fault is active and right after: the whole
 * list answers 200 with the affected signals in `ERROR UPSTREAM RATE_LIMIT`, a single signal answers
 * the v3 error object (502, retry-after), and the next call is a normal answer; never a 500. A fault
 * with fewer calls left than the list reads sources used to answer 500: the vehicle-free readings
 * (connectivity, vehicle details, account access) came back without a value when a concurrent read
 * had taken the last fault.
 */
describe('v3 signals and an injected upstream rate limit', () => {
  let w: W;
  let app: V3App;
  let tok: string;
  let car: Car;

  beforeAll(async () => {
    w = await v3World();
    app = await w.makeApp('faults');
    car = await w.connect(app, '5YJ3E1EA7KF000001@bev.smartcar.com', undefined, 'TESLA');
    tok = await w.appToken(app);
  });
  afterAll(async () => w?.close());

  const list = () => w.app.inject({ url: `/v3/vehicles/${car.vehicleId}/signals`, headers: auth(tok, car.userId) });
  const one = (code: string) => w.app.inject({ url: `/v3/vehicles/${car.vehicleId}/signals/${code}`, headers: auth(tok, car.userId) });
  const fault = (count: number) => injectFault(w.platform.simulator.sim, car.vehicleId, 'UPSTREAM:RATE_LIMIT', count);
  const statuses = (data: Signal[]) => new Set(data.map((s) => JSON.stringify(s.attributes.status)));

  it('the list answers 200 with per-signal RATE_LIMIT errors for every count of remaining faults, then a normal answer', async () => {
    const normal = statuses((await list()).json().data as Signal[]);
    expect([...normal].some((s) => s.includes('UPSTREAM'))).toBe(false);
    for (let count = 1; count <= 24; count++) {
      await fault(count);
      const during = await list();
      expect(during.statusCode, `${count} faults left: ${during.body.slice(0, 300)}`).toBe(200);
      const data = during.json().data as Signal[];
      const failed = data.filter((s) => s.attributes.status.value === 'ERROR' && s.attributes.status.error?.type === 'UPSTREAM');
      expect(failed.length, `${count} faults left`).toBeGreaterThan(0);
      for (const s of failed) expect(s.attributes).toMatchObject({ status: { value: 'ERROR', error: { type: 'UPSTREAM', code: 'RATE_LIMIT' } }, body: null });
      // Every signal still has a status of its own, none SUCCESS without a body.
      for (const s of data) if (s.attributes.status.value === 'SUCCESS') expect(s.attributes.body).not.toBeNull();
      await fault(0);
      const after = await list();
      expect(after.statusCode).toBe(200);
      expect(statuses(after.json().data as Signal[])).toEqual(normal);
    }
  });

  it('a single signal answers the v3 upstream error with retry-after while the fault lasts, then its value', async () => {
    for (const code of ['odometer-traveleddistance', 'connectivitystatus-isonline', 'vehicleidentification-exteriorcolor']) {
      await fault(1);
      const during = await one(code);
      expect(during.statusCode, during.body).toBe(502);
      expect(during.headers['retry-after']).toBe('60');
      const body = during.json();
      expect(body.errors[0]).toMatchObject({ status: '502', type: 'UPSTREAM', code: 'RATE_LIMIT', resolution: { type: 'RETRY_LATER' } });
      expect(body).toMatchObject({ type: 'UPSTREAM', code: 'RATE_LIMIT' });
      const after = await one(code);
      expect(after.statusCode, after.body).toBe(200);
      expect(after.json().attributes.status.value).toBe('SUCCESS');
    }
  });

  it('the whole list and the single signals together with one fault left: one of them fails, none with 500', async () => {
    await fault(1);
    const answers = await Promise.all([list(), one('connectivitystatus-isonline'), one('vehicleuseraccount-role'), list()]);
    for (const a of answers) expect([200, 502], a.body.slice(0, 300)).toContain(a.statusCode);
    expect(answers.filter((a) => a.statusCode === 502).length + answers.filter((a) => a.statusCode === 200 && a.body.includes('"RATE_LIMIT"')).length).toBe(1);
  });

  it('a reading without a value is that signal\'s ERROR UPSTREAM INVALID_DATA: no body builder throws into the call', () => {
    const ctx = { caps: new Set<never>(), capturedAt: 0 };
    for (const def of SIGNALS) expect(() => bodyOf(def, undefined, ctx), def.code).not.toThrow();
    expect(bodyOf(SIGNALS_BY_CODE.get('connectivitystatus-isonline')!, undefined, ctx)).toEqual({ error: { type: 'UPSTREAM', code: 'INVALID_DATA' } });
    expect(bodyOf(SIGNALS_BY_CODE.get('connectivitystatus-isonline')!, { online: true }, ctx)).toEqual({ value: true });
  });
});
