import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encryptSecret } from '@opencar/core';
import { batteryCapacityUrl, connectForTest } from '@opencar/oauth';
import type { OperationExample, OperationExamples } from '../src/index.js';
import { Receiver } from '../../webhooks/test/receiver.js';
import { emit, event } from '../../webhooks/test/fixtures.js';
import { ALL_PERMISSIONS, v3World } from './v3/fixture.js';
import { EXAMPLE_REQUESTS, type ExampleRequest, type Fixtures } from './openapi-examples/requests.js';

/**
 * The examples of the OpenAPI document are recorded here, from the platform's real answers on simulated
 * vehicles: every request of openapi-examples/requests.ts runs in order, its exchange is normalised
 * (fixture ids and secrets to fixed placeholders, other ids numbered per example) and compared with
 * packages/api/src/openapi/examples.json. After a deliberate change, re-record with
 * `OPENCAR_WRITE_EXAMPLES=1 npx vitest run packages/api/test/openapi-examples.test.ts`.
 */
const FILE = fileURLToPath(new URL('../src/openapi/examples.json', import.meta.url));
const WRITE = process.env.OPENCAR_WRITE_EXAMPLES === '1';
const RERECORD = 'OPENCAR_WRITE_EXAMPLES=1 npx vitest run packages/api/test/openapi-examples.test.ts';
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
const SECRET_KEYS = /^(access_token|refresh_token|client_secret|secret|token|amt|challenge|signature)$/i;
/** Random ids with a type prefix (`sched_…`, `conn_…`). */
const PREFIXED_ID = /\b([a-z]+)_[0-9a-f]{32}\b/g;
/** Measured durations, which differ from run to run. */
const TIMINGS = /^(durationMs|latencyMs|elapsedMs)$/;
/** Response headers worth showing in an example. */
const HEADERS = ['location', 'sc-data-age', 'sc-unit-system', 'sc-fetched-at', 'retry-after'];

type W = Awaited<ReturnType<typeof v3World>>;
let w: W;
let rx: Receiver;
let fx: Fixtures;
let credentials: Record<ExampleRequest['auth'], string | undefined>;
const replacements: [string, string][] = [];
const recorded: OperationExamples = {};
const answers = new Map<string, Record<string, unknown>>();
let operations: string[] = [];

/** Fixed stand-ins for what each run draws at random, then numbered ids for everything else. */
function normalise<T>(value: T): T {
  let text = JSON.stringify(value);
  if (text === undefined) return value;
  for (const [from, to] of replacements) text = text.split(from).join(to);
  const numbered = new Map<string, string>();
  const fixed = new Set(replacements.map(([, to]) => to));
  text = text.replace(UUID, (id) => {
    if (fixed.has(id)) return id;
    if (!numbered.has(id)) numbered.set(id, `00000000-0000-4000-8000-${String(numbered.size + 1).padStart(12, '0')}`);
    return numbered.get(id)!;
  });
  const prefixed = new Map<string, string>();
  text = text.replace(PREFIXED_ID, (id, prefix: string) => {
    if (!prefixed.has(id)) prefixed.set(id, `${prefix}_${String(prefixed.size + 1).padStart(32, '0')}`);
    return prefixed.get(id)!;
  });
  return JSON.parse(text, (key, v: unknown) => {
    if (SECRET_KEYS.test(key) && typeof v === 'string' && v.length > 0) return `example-${key.replace(/_/g, '-').toLowerCase()}`;
    if (TIMINGS.test(key) && typeof v === 'number') return 12; // measured, not computed
    return v;
  }) as T;
}

/** Values a call draws at random that no pattern catches (a new simulated vehicle's VIN). */
const DRAWN: Record<string, (body: unknown) => string[]> = {
  'POST /simulator/vehicles': (body) => [String((body as { vin?: string } | undefined)?.vin)],
};

/** The operator's Tesla key pair is drawn at random: its PEM is shown as this stand-in. */
const EXAMPLE_PEM = '-----BEGIN PUBLIC KEY-----\nexample-public-key (EC secp256r1, SubjectPublicKeyInfo, base64)\n-----END PUBLIC KEY-----\n';
/** The Tesla connector is configured (its public key is served), pointed at a closed local port: no example reaches it. */
const TESLA_ENV = Object.fromEntries([
  ['OPENCAR_TESLA_CLIENT_ID', 'example-tesla-client'], ['OPENCAR_TESLA_AUTHORIZE_URL', 'http://127.0.0.1:9/oauth2/v3/authorize'], ['OPENCAR_TESLA_TOKEN_URL', 'http://127.0.0.1:9/oauth2/v3/token'],
  ...['NA', 'EU', 'CN'].map((r) => [`OPENCAR_TESLA_FLEET_URL_${r}`, 'http://127.0.0.1:9']),
]);
const inJson = (text: string) => JSON.stringify(text).slice(1, -1);

/** What some calls need to have happened first, so that each example is a success. */
const BEFORE: Record<string, () => Promise<void>> = {
  // The operator generated the key pair (`npm run tesla -- keys`).
  'GET /.well-known/appspecific/com.tesla.3p.public-key.pem': async () => {
    const { publicPem } = await w.platform.tesla!.keys.generate();
    replacements.unshift([inJson(publicPem), inJson(EXAMPLE_PEM)]);
  },
  'GET /v2.0/management/webhooks/{id}/deliveries': async () => {
    await emit(w.platform.storage, w.platform.webhooks, [event(fx.vehicleId, w.clock.now(), 'CHARGING_COMPLETED')]);
    await w.platform.webhooks.deliverer.runUntilIdle();
  },
  // The driver takes the cable out before the port is closed (a plugged-in car refuses to close it).
  'POST /v3/vehicles/{id}/commands/charge-port/close': async () => {
    const res = await w.app.inject({ method: 'PATCH', url: `/simulator/vehicles/${fx.vehicleId}/state`, headers: { authorization: credentials.client!, 'content-type': 'application/json' }, payload: { pluggedIn: false } });
    if (res.statusCode !== 200) throw new Error(`unplugging failed: ${res.statusCode} ${res.body}`);
  },
  // Statements are written once a month has ended: the month of every call above ends, and the closing loop runs.
  'GET /v2.0/management/statements': async () => {
    w.clock.set(Date.UTC(2026, 11, 1, 0, 5));
    await w.platform.usage.closeFinishedMonths();
  },
};

async function run(key: string, req: ExampleRequest): Promise<OperationExample> {
  const [method, template] = key.split(' ') as [string, string];
  const path = template.replace(/\{([^}]+)\}/g, (_, name: string) => (name === 'path' ? req.path?.path ?? '' : encodeURIComponent(req.path?.[name] ?? '')));
  const query = new URLSearchParams(req.query ?? {}).toString();
  const headers: Record<string, string> = { ...(req.headers ?? {}) };
  const auth = credentials[req.auth];
  if (auth) headers.authorization = auth;
  let payload: string | undefined;
  let contentType: string | undefined;
  if (req.body !== undefined) { contentType = 'application/json'; payload = JSON.stringify(req.body); }
  if (req.form) { contentType = 'application/x-www-form-urlencoded'; payload = new URLSearchParams(req.form).toString(); }
  if (contentType) headers['content-type'] = contentType;
  const res = await w.app.inject({ method: method as 'GET', url: `${path}${query ? `?${query}` : ''}`, headers, payload });
  const type = String(res.headers['content-type'] ?? '').split(';')[0] || undefined;
  const body: unknown = type === 'application/json' || type?.endsWith('+json') ? res.json() : type === 'text/html' || !res.body ? undefined : res.body;
  if (body && typeof body === 'object') answers.set(key, body as Record<string, unknown>);
  for (const drawn of DRAWN[key]?.(body) ?? []) replacements.unshift([drawn, 'KNA00000000000001']);
  const shown = Object.fromEntries(HEADERS.flatMap((h) => (res.headers[h] === undefined ? [] : [[h, String(res.headers[h])]])));
  return normalise({
    request: { auth: req.auth, ...(req.path ? { path: req.path } : {}), ...(req.query ? { query: req.query } : {}), ...(req.headers ? { headers: req.headers } : {}),
      ...(contentType ? { contentType, body: req.body ?? req.form } : {}) },
    response: { status: res.statusCode, ...(type ? { contentType: type } : {}), ...(Object.keys(shown).length ? { headers: shown } : {}), ...(body === undefined ? {} : { body }) },
  });
}

beforeAll(async () => {
  w = await v3World(TESLA_ENV);
  await w.platform.chargeScheduleRunner.close(); // nothing runs behind the recorded calls
  const app = await w.makeApp('Example app');
  const amt = `amt-${app.id}`;
  rx = new Receiver(amt);
  await rx.start();
  // The fixture stores no usable management token; webhooks sign with it.
  await w.platform.storage.db.updateTable('apps').set({ amt_enc: encryptSecret(w.platform.secretKey, amt) }).where('id', '=', app.id).execute();
  // A plug-in hybrid answers every v2.0 read; brand-specific endpoints need a Tesla.
  const car = await w.connect(app, '1FMCU0EZ5LUA00001@phev.smartcar.com', undefined, 'FORD');
  const tesla = await w.connect(app, '5YJ3E1EA7KF000001@bev.smartcar.com');
  const spareUser = await w.connect(app, '5YJ3E1EA7KF000002@bev.smartcar.com');
  const spareVehicle = await w.connect(app, '5YJ3E1EA7KF000003@bev.smartcar.com');
  const appToken = await w.appToken(app);
  // The owner's tokens, with the refresh token the OAuth example exchanges.
  const owner = await connectForTest(w.platform.storage, w.clock, { appId: app.id, userId: car.userId, vehicleIds: car.vehicleIds, permissions: ALL_PERMISSIONS, mode: 'simulated' });
  const refresh = owner.refresh_token;
  fx = {
    vehicleId: car.vehicleId, teslaId: tesla.vehicleId, userId: car.userId, teslaUserId: tesla.userId, spareUserId: spareUser.userId, spareVehicleId: spareVehicle.vehicleId,
    appId: app.id, refreshToken: refresh, v3ClientId: app.v3ClientId, v3Secret: app.v3Secret, webhookUrl: rx.url,
    batteryCapacityQuery: Object.fromEntries(new URL(batteryCapacityUrl(w.platform.config.publicUrl, w.platform.secretKey, app.id, car.vehicleId, w.clock.now())).searchParams),
  };
  delete fx.batteryCapacityQuery.redirect_uri;
  const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  credentials = {
    none: undefined, user: `Bearer ${owner.access_token}`, 'user-tesla': `Bearer ${tesla.userToken}`, app: `Bearer ${appToken}`, client: basic(app.id, app.legacySecret),
    management: basic('default', amt), 'management-bearer': `Bearer ${amt}`,
  };
  // Longest first, so an id inside a longer value is not replaced on its own.
  replacements.push(
    [rx.url, 'https://app.example/webhooks'], [car.userToken, 'example-access-token'], [owner.access_token, 'example-access-token'], [tesla.userToken, 'example-access-token'], [appToken, 'example-application-token'], [refresh, 'example-refresh-token'],
    [app.v3Secret, 'example-client-secret'], [app.v3ClientId, 'client_example'], [app.legacySecret, 'example-client-secret'], [amt, 'example-management-token'],
    [car.vehicleId, '36ab27d0-fd9d-4455-823a-ce30af709ffc'], [tesla.vehicleId, '5f6d2c1a-8e4b-4a7c-9d3e-2b1a0c9f8e7d'], [car.userId, 'e0514ef4-5226-497d-a1e9-2ea4bd2f2a8e'], [tesla.userId, 'b2c4d6e8-1a3c-4e5f-8a7b-9c0d1e2f3a4b'],
    [spareUser.userId, '4e3d2c1b-0a9f-4e8d-8c7b-6a5f4e3d2c1b'], [spareVehicle.vehicleId, '9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d'], [app.id, '8229df9f-91a0-4ff0-a1ae-a1f38ee24d07'],
  );
  replacements.sort((a, b) => b[0].length - a[0].length);
  const doc = (await w.app.inject({ url: '/openapi.json' })).json() as { paths: Record<string, Record<string, unknown>> };
  operations = Object.entries(doc.paths).flatMap(([path, item]) => Object.keys(item).map((m) => `${m.toUpperCase()} ${path}`));
  for (const [key, build] of EXAMPLE_REQUESTS) {
    await BEFORE[key]?.();
    recorded[key] = await run(key, build(fx, (k) => answers.get(k) ?? {}));
  }
  if (WRITE) writeFileSync(FILE, `${JSON.stringify(recorded, null, 2)}\n`);
}, 120_000);
afterAll(async () => { await rx?.stop(); await w?.close(); });

describe('examples of the OpenAPI document, recorded from the platform', () => {
  it('has a request for every operation of the document, and none for an operation it lacks', () => {
    const table = EXAMPLE_REQUESTS.map(([key]) => key);
    expect(new Set(table).size, 'an operation is listed twice in openapi-examples/requests.ts').toBe(table.length);
    const missing = operations.filter((o) => !table.includes(o));
    expect(missing, `add these operations to packages/api/test/openapi-examples/requests.ts, then run ${RERECORD}`).toEqual([]);
    expect(table.filter((o) => !operations.includes(o)), 'requests for operations the document does not have').toEqual([]);
  });

  it('no example call failed on the server side', () => {
    const failed = Object.entries(recorded).filter(([, ex]) => ex.response.status >= 500).map(([k, ex]) => `${k}: ${ex.response.status} ${JSON.stringify(ex.response.body)}`);
    expect(failed).toEqual([]);
  });

  it('shows a success for every operation (each one succeeds on the simulator once the state it needs is set up)', () => {
    const errors = Object.entries(recorded).filter(([, ex]) => ex.response.status >= 400).map(([k, ex]) => `${k}: ${ex.response.status}`);
    expect(errors, 'set up the state the call needs in BEFORE (or give it a request that succeeds) instead of recording an error').toEqual([]);
  });

  it('matches the committed examples file', () => {
    const committed = JSON.parse(readFileSync(FILE, 'utf8')) as OperationExamples;
    for (const key of new Set([...Object.keys(committed), ...Object.keys(recorded)])) {
      expect(committed[key], `${key}: the committed example differs from the platform's answer; if the change is intended, run ${RERECORD}`).toEqual(recorded[key]);
    }
  });

  it('puts a request and a response example on every operation of /openapi.json', async () => {
    type Media = Record<string, { example?: unknown }>;
    type Op = { 'x-example-auth'?: string; 'x-example-status'?: number; parameters?: { in: string; example?: unknown }[]; requestBody?: { content?: Media }; responses: Record<string, { content?: Media; headers?: Record<string, unknown> }> };
    const doc = (await w.app.inject({ url: '/openapi.json' })).json() as { paths: Record<string, Record<string, Op>> };
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(item)) {
        const where = `${method.toUpperCase()} ${path} (see packages/api/test/openapi-examples/requests.ts)`;
        expect(op['x-example-auth'], `${where} has no example`).toEqual(expect.any(String));
        for (const p of (op.parameters ?? []).filter((x) => x.in === 'path')) expect(p.example, `${where}: path parameter without an example`).toEqual(expect.any(String));
        if (op.requestBody) expect(Object.values(op.requestBody.content ?? {}).some((c) => c.example !== undefined), `${where}: request body without an example`).toBe(true);
        const status = op['x-example-status'] ?? 0;
        const r = op.responses[String(status)];
        expect(r, `${where}: the example's status is not among the responses`).toBeDefined();
        // Only an empty answer (204) or a redirect may come without a body; a redirect shows its location.
        const shown = Object.values(r?.content ?? {}).some((c) => c.example !== undefined) || status === 204 || (status >= 300 && status < 400 && r?.headers !== undefined);
        expect(shown, `${where}: no response example`).toBe(true);
      }
    }
  });
});
