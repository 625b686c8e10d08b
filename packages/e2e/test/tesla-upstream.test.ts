import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LiveServer } from '../src/index.js';
import type { TeslaEmulator } from '../../connectors/test/oem/tesla/emulator/server.js';
import type { Fault } from '../../connectors/test/oem/tesla/emulator/state.js';
import { startTeslaPlatform, type TeslaPlatform } from './tesla-platform.js';
import { connectTeslaOverHttp } from './tesla-browser.js';

/**
 * What Tesla sends never crashes opencar or reaches an app unmapped: through the real server, the
 * emulated Fleet API drops connections, answers slowly, sends malformed, oversized or HTML bodies and
 * error statuses; every API answer comes within its deadline, in the documented error shape, without
 * Tesla's own text, and the server keeps serving.
 */
const TIMEOUT_MS = 1_500;
const WAKE_ATTEMPTS = 3;
const VIN = '5YJ3E7EB4KF000077';
const OWNER = { email: 'upstream.owner@example.com', password: 'pw-upstream' };
/** The v2 error body's keys, exactly (the SDK reads these). */
const ERROR_KEYS = ['code', 'description', 'docURL', 'requestId', 'resolution', 'statusCode', 'suggestedUserMessage', 'type'];
/** Strings only Tesla (the emulator's faults) sends: none may appear in an answer. */
const TESLA_TEXT = ['internal error', 'txid', '<html', 'response{', 'mobile_access_disabled', 'teapot', 'Bad gateway', 'x'.repeat(64)];

describe('Tesla faults through the opencar server', () => {
  let platform: TeslaPlatform;
  let emu: TeslaEmulator;
  let server: LiveServer;
  let token: string;
  let vehicleId: string;

  beforeAll(async () => {
    platform = await startTeslaPlatform({ OPENCAR_TESLA_TIMEOUT_MS: String(TIMEOUT_MS), OPENCAR_TESLA_WAKE_ATTEMPTS: String(WAKE_ATTEMPTS) });
    ({ emu, server } = platform);
    emu.state.addVehicle(emu.state.addUser({ ...OWNER, region: 'na' }), { vin: VIN });
    emu.state.pair(VIN, platform.publicPem);
    ({ accessToken: token, vehicleId } = await connectTeslaOverHttp(server, emu, OWNER, 'read_vehicle_info read_odometer read_battery read_location read_security control_security'));
  });
  afterAll(async () => { await platform?.close(); });

  async function call(path: string, init: RequestInit = {}): Promise<{ status: number; body: Record<string, unknown>; text: string; ms: number; requestId: string | null }> {
    const t0 = performance.now();
    const res = await fetch(`${server.url}/v2.0/vehicles/${vehicleId}/${path}`, { ...init, headers: { authorization: `Bearer ${token}`, ...(init.headers as Record<string, string> | undefined) } });
    const text = await res.text();
    return { status: res.status, body: JSON.parse(text) as Record<string, unknown>, text, ms: performance.now() - t0, requestId: res.headers.get('sc-request-id') };
  }

  const json = (o: unknown) => JSON.stringify(o);
  const data = { server: 'na', path: /vehicle_data$/ } as const;

  it.each<[string, number, string, string, Fault]>([
    ['connections dropped on every attempt', 502, 'UPSTREAM', 'NO_RESPONSE', { ...data, drop: true, times: 3 }],
    ['an answer slower than the deadline', 502, 'UPSTREAM', 'NO_RESPONSE', { ...data, delayMs: 20_000 }],
    ['a body that is not JSON', 502, 'UPSTREAM', 'INVALID_DATA', { ...data, status: 200, body: 'response{' }],
    ['a value of the wrong type', 502, 'UPSTREAM', 'INVALID_DATA', { ...data, status: 200, body: json({ response: { vehicle_state: { odometer: 'internal error', timestamp: 1 } } }) }],
    ['a body over the size cap', 502, 'UPSTREAM', 'INVALID_DATA', { ...data, status: 200, body: json({ response: { vehicle_state: { odometer: 1, pad: 'x'.repeat(5 * 1024 * 1024) } } }) }],
    ['an HTML error page', 502, 'UPSTREAM', 'UNKNOWN_ISSUE', { ...data, status: 502, body: '<html><body>Bad gateway</body></html>', headers: { 'content-type': 'text/html' } }],
    ['500 with Tesla\'s own text', 502, 'UPSTREAM', 'UNKNOWN_ISSUE', { ...data, status: 500, body: json({ response: null, error: 'internal error', error_description: '', txid: 'abc' }) }],
    ['540 from the car', 502, 'UPSTREAM', 'UNKNOWN_ISSUE', { ...data, status: 540, body: json({ response: null, error: 'internal error', error_description: '' }) }],
    ['an unknown 4xx', 502, 'UPSTREAM', 'UNKNOWN_ISSUE', { ...data, status: 418, body: json({ error: 'teapot' }) }],
    ['401 mobile_access_disabled', 409, 'VEHICLE_STATE', 'REMOTE_ACCESS_DISABLED', { ...data, status: 401, body: json({ response: null, error: 'mobile_access_disabled', error_description: '' }) }],
  ])('%s → %i %s:%s in the documented shape, within the deadline; the next read answers', async (_name, status, type, code, fault) => {
    emu.state.fault(fault);
    const r = await call('odometer');
    expect(r.status).toBe(status);
    expect(r.body).toMatchObject({ type, code, statusCode: status, requestId: r.requestId });
    expect(Object.keys(r.body).sort()).toEqual(ERROR_KEYS);
    for (const t of TESLA_TEXT) expect(r.text).not.toContain(t);
    expect(r.ms).toBeLessThan(TIMEOUT_MS + 2_000);
    const next = await call('odometer');
    expect(next.status).toBe(200);
    expect(next.body.distance).toEqual(expect.any(Number));
  });

  it('waking a car whose state poll never answers: NO_RESPONSE at that poll\'s deadline, no further polls', async () => {
    emu.state.sleep(VIN);
    const poll = new RegExp(`/api/1/vehicles/${VIN}$`);
    emu.state.fault({ server: 'na', method: 'GET', path: poll, delayMs: 20_000, times: WAKE_ATTEMPTS });
    const r = await call('battery');
    expect(r.body).toMatchObject({ type: 'UPSTREAM', code: 'NO_RESPONSE' });
    expect(r.ms).toBeLessThan(TIMEOUT_MS + 2_000);
    expect(emu.state.callsTo(/wake_up$/)).toHaveLength(1);
    emu.state.faults.length = 0;
    expect((await call('battery')).status).toBe(200);
  });

  it('a command whose connection to the proxy drops is not repeated, and answers NO_RESPONSE', async () => {
    emu.state.fault({ server: 'proxy', path: /door_unlock$/, drop: true, times: 3 });
    const before = emu.state.calls.length;
    const r = await call('security', { method: 'POST', body: json({ action: 'UNLOCK' }), headers: { 'content-type': 'application/json' } });
    expect(r.body).toMatchObject({ type: 'UPSTREAM', code: 'NO_RESPONSE' });
    expect(emu.state.calls.slice(before).filter((c) => c.server === 'proxy' && c.path.endsWith('door_unlock'))).toHaveLength(1);
  });

  it('forty concurrent reads while every connection drops: all answered within the deadline, the server stays healthy', async () => {
    emu.state.fault({ ...data, drop: true, times: 1_000 });
    const t0 = performance.now();
    const rs = await Promise.all(Array.from({ length: 40 }, (_, i) => call(['odometer', 'battery', 'location', 'security'][i % 4]!)));
    expect(performance.now() - t0).toBeLessThan(TIMEOUT_MS * 3 + 5_000);
    for (const r of rs) expect(r.body).toMatchObject({ type: 'UPSTREAM', code: 'NO_RESPONSE' });
    emu.state.faults.length = 0;
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    expect((await call('odometer')).status).toBe(200);
  });
});
