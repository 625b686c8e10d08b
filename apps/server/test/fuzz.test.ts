import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { encryptSecret, hmacSha256Hex, loadConfig, ManualClock, randomToken, sha256 } from '@opencar/core';
import { openStorage, WebRepo, type Storage } from '@opencar/storage';
import { connectForTest } from '@opencar/oauth';
import { pageRoutes } from '@opencar/api';
import { buildApp } from '../src/build-app.js';
import { createPlatform, type Platform } from '../src/platform.js';
import { provision } from '../src/provision.js';

/**
 * Property-based fuzzing of every operation in /openapi.json (read at run time, so routes added
 * later are covered) and every form route, with malformed inputs: wrong types, odd encodings, big
 * and unicode values, repeated parameters, missing and garbage credentials. Whatever arrives, the
 * server answers without a 5xx of its own, API errors keep their documented shape, nothing shows a
 * stack trace, and the server is healthy afterwards.
 *
 * `OPENCAR_FUZZ_RUNS` sets the number of requests (default 5000; e.g. 100000 for a long run).
 * Nothing leaves 127.0.0.1: requests are injected, webhook targets are loopback-only and refused
 * (OPENCAR_WEBHOOK_ALLOW_PRIVATE=false), and host names resolve from an empty table.
 */
const RUNS = Number(process.env.OPENCAR_FUZZ_RUNS || 5000);
const SECRET = 'fuzz-secret-key-0123456789';
const CLIENT = { id: '3f9a0c52-7e1d-4b6a-9c2e-5d8f1a7b3c40', secret: 'fuzz-client-secret-0123456789', amt: 'fuzz-amt-0123456789abcdef' };
const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

interface Operation { method: string; path: string; query: string[]; bodyKeys: string[]; form: boolean }
interface Fixtures { bearer: string; vehicleId: string; devCookie: string; devCsrf: string; ownerCookie: string; ownerCsrf: string; flowId: string; flowCookie: string }

let storage: Storage;
let platform: Platform;
let app: FastifyInstance;
const operations: Operation[] = [];
let fx: Fixtures;
const clock = new ManualClock(Date.UTC(2026, 10, 1, 12));

/** Seeds (again) everything a request may need: the app with its credentials, a connected vehicle, sessions and a Connect flow. */
async function seed(): Promise<Fixtures> {
  if (!(await storage.db.selectFrom('apps').select('id').where('id', '=', CLIENT.id).executeTakeFirst())) await provision(platform.config, storage, clock, SECRET, platform.log);
  // Fuzzed dashboard forms may have rotated the app's credentials, deleted it or terminated its developer.
  await storage.db.updateTable('apps').set({ client_secret_hash: sha256(CLIENT.secret), amt_hash: sha256(CLIENT.amt), amt_enc: encryptSecret(SECRET, CLIENT.amt), deleted_at: null }).where('id', '=', CLIENT.id).execute();
  await storage.db.updateTable('developers').set({ plan: 'enterprise', status: 'active' }).execute();
  const signed = await platform.backend.signIn({ make: 'TESLA', email: 'fuzz-owner@example.com', password: 'x', mode: 'simulated', country: 'US' });
  if (!signed.ok) throw new Error('sign-in failed');
  const vehicleId = signed.vehicles[0]!.vehicleId;
  const permissions = ['read_vehicle_info', 'read_vin', 'read_location', 'read_odometer', 'read_battery', 'read_charge', 'control_charge', 'read_tires', 'read_security', 'control_security', 'control_navigation', 'read_service_history', 'read_diagnostics'];
  const bearer = (await connectForTest(storage, clock, { appId: CLIENT.id, userId: signed.accountId, vehicleIds: [vehicleId], permissions, mode: 'simulated' })).access_token;
  const web = new WebRepo(storage.db);
  const dev = await storage.db.selectFrom('apps').select('developer_id').where('id', '=', CLIENT.id).executeTakeFirstOrThrow();
  const session = async (kind: 'developer' | 'owner', subject: string, data: Record<string, unknown>) => {
    const id = randomToken(32);
    await web.createSession({ id_hash: sha256(id), kind, subject_id: subject, data: JSON.stringify(data), created_at: clock.now(), last_seen_at: clock.now(), expires_at: clock.now() + 3600_000 });
    return { id, csrf: hmacSha256Hex(SECRET, `csrf:${kind}:${id}`) };
  };
  const d = await session('developer', dev.developer_id, {});
  const o = await session('owner', signed.accountId, { make: 'TESLA', email: 'fuzz-owner@example.com', mode: 'simulated', vehicleIds: [vehicleId] });
  const start = await app.inject({ url: `/oauth/authorize?response_type=code&client_id=${CLIENT.id}&scope=read_odometer&mode=simulated&make=TESLA` });
  const flowId = /\/connect\/([0-9a-f-]{36})/.exec(String(start.headers.location))?.[1] ?? '00000000-0000-4000-8000-000000000000';
  const flowCookie = ([] as string[]).concat(start.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]).join('; ');
  return { bearer, vehicleId, devCookie: `oc_dev=${d.id}`, devCsrf: d.csrf, ownerCookie: `oc_owner=${o.id}`, ownerCsrf: o.csrf, flowId, flowCookie };
}

beforeAll(async () => {
  const config = loadConfig({
    DATABASE_URL: 'sqlite::memory:', OPENCAR_SECRET_KEY: SECRET, LOG_LEVEL: 'silent', PUBLIC_URL: 'http://127.0.0.1:3000',
    OPENCAR_SEED_CLIENT_ID: CLIENT.id, OPENCAR_SEED_CLIENT_SECRET: CLIENT.secret, OPENCAR_SEED_REDIRECT_URIS: 'https://app.example/cb', OPENCAR_SEED_AMT: CLIENT.amt,
    OPENCAR_WEBHOOK_ALLOW_PRIVATE: 'false', OPENCAR_WEBHOOK_TIMEOUT_MS: '200',
  });
  storage = await openStorage(config.databaseUrl);
  const noDns = async (host: string) => { throw Object.assign(new Error(`${host} is not resolved in tests`), { code: 'ENOTFOUND' }); };
  platform = await createPlatform({ config, secretKey: SECRET, storage, clock, log: pino({ level: 'silent' }), resolveHost: noDns });
  app = await buildApp(platform);
  await app.ready();
  const doc = (await app.inject({ url: '/openapi.json' })).json() as { paths: Record<string, Record<string, { parameters?: { name: string; in: string }[]; requestBody?: { content?: Record<string, { schema?: { properties?: Record<string, unknown> } }> } }>> };
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const content = op.requestBody?.content ?? {};
      const schema = Object.values(content)[0]?.schema;
      operations.push({ method: method.toUpperCase(), path, query: (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name), bodyKeys: Object.keys(schema?.properties ?? {}), form: false });
    }
  }
  // The dashboard, owner portal and Connect pages are not in the API document; they are fuzzed all the same.
  for (const r of pageRoutes(app)) {
    operations.push({ method: r.method, path: r.url.replace(/:([A-Za-z]+)/g, '{$1}'), query: r.query, bodyKeys: r.bodyKeys, form: r.method === 'POST' });
  }
  fx = await seed();
}, 120_000);
afterAll(async () => { await app?.close(); await platform?.close(); await storage?.close(); });

// ── what a malformed request is made of ────────────────────────────────────────────────────────
const NASTY = [
  '', ' ', '0', '-1', '1e309', 'Infinity', 'NaN', '0x10', 'true', 'null', 'undefined', '[]', '{}', '%', '%ZZ', '%00', '%C3%28', '..', '../../etc/passwd',
  '\u0000', '\u202e', '😀', 'é'.repeat(300), 'a'.repeat(5000), '<script>alert(1)</script>', "' OR 1=1 --", '${7*7}', '__proto__', 'constructor',
  'http://127.0.0.1:1/x', 'http://169.254.169.254/latest/meta-data/', 'http://[::1]/', 'javascript:alert(1)', 'VEHICLE_STATE:ASLEEP', 'TESLA', 'tesla', 'S256',
  '2026-13-45', '-0', '00000000-0000-4000-8000-000000000000',
];
const text = fc.oneof(fc.constantFrom(...NASTY), fc.string({ maxLength: 40 }), fc.string({ unit: 'grapheme', maxLength: 20 }), fc.stringMatching(/^[0-9.eE+-]{1,12}$/));
const value: fc.Arbitrary<unknown> = fc.oneof(
  text, fc.integer(), fc.double(), fc.constantFrom(1e308, -1e308, 0, -0, 0.5, 1, 91, 181, 2 ** 53 + 1), fc.boolean(), fc.constant(null),
  fc.array(fc.oneof(text, fc.integer(), fc.constant(null)), { maxLength: 3 }), fc.dictionary(fc.string({ maxLength: 8 }), text, { maxKeys: 3 }),
);
/** Stands for a body over the 1 MiB limit (expanded when the request is built, so reports stay short). */
const BIG = '<body over the limit>';
const bigBody = () => `{"pad":"${'x'.repeat(1100 * 1024)}"}`;
const asText = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v) ?? '');
const enc = (s: string) => (s.startsWith('%') ? s : encodeURIComponent(s));

interface Req { method: string; url: string; headers: Record<string, string>; payload?: string; remoteAddress: string }

const request = fc.record({
  op: fc.integer({ min: 0, max: 1_000_000 }),
  method: fc.oneof({ arbitrary: fc.constant(null), weight: 6 }, { arbitrary: fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD'), weight: 1 }),
  param: fc.oneof(fc.constant('vehicle'), fc.constant('app'), fc.constant('flow'), text),
  query: fc.array(fc.tuple(fc.option(fc.constantFrom('limit', 'offset', 'cursor', 'vin', 'scope', 'country', 'month', 'lang', 'start_date', 'vehicle_id', 'mode', 'make'), { nil: undefined }), text), { maxLength: 4 }),
  repeatQuery: fc.boolean(),
  auth: fc.constantFrom('none', 'bearer', 'client', 'amt', 'amtBearer', 'garbage', 'badBasic', 'wrongSecret', 'long'),
  garbage: text,
  contentType: fc.constantFrom(undefined, 'application/json', 'application/json; charset=utf-8', 'application/x-www-form-urlencoded', 'text/plain', 'multipart/form-data; boundary=x', 'application/xml', 'x/y; a=b', 'application/json; charset=utf-16'),
  body: fc.oneof(
    fc.constant(undefined), fc.json({ maxDepth: 3 }), text,
    fc.dictionary(fc.string({ maxLength: 10 }), value, { maxKeys: 5 }).map((o) => JSON.stringify(o)),
    fc.constant('{"a":'), fc.constant('['.repeat(3000)), fc.constant(BIG),
  ),
  shaped: fc.array(value, { minLength: 6, maxLength: 6 }),
  session: fc.constantFrom('none', 'valid', 'garbage'),
  csrf: fc.constantFrom('valid', 'none', 'garbage', 'array'),
  unit: fc.option(text, { freq: 3 }),
  address: fc.tuple(fc.integer({ min: 64, max: 127 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 })),
});

function build(r: typeof request extends fc.Arbitrary<infer T> ? T : never): Req {
  const op = operations[r.op % operations.length]!;
  const pick = (name: string) => {
    if (r.param === 'vehicle' && /id|vehicle/i.test(name)) return fx.vehicleId;
    if (r.param === 'app' && /app|client/i.test(name)) return CLIENT.id;
    if (r.param === 'flow' && /flow/i.test(name)) return fx.flowId;
    return r.param === 'vehicle' || r.param === 'app' || r.param === 'flow' ? fx.vehicleId : r.param;
  };
  const path = op.path.replace(/\{([^}]+)\}/g, (_, name: string) => (name === 'path' ? `${enc(pick(name))}/${enc(pick(name))}` : enc(pick(name))));
  const pairs: string[] = [];
  for (const [i, [name, v]] of r.query.entries()) pairs.push(`${encodeURIComponent(name ?? op.query[i % Math.max(1, op.query.length)] ?? 'x')}=${enc(v)}`);
  if (r.repeatQuery && pairs.length) pairs.push(pairs[0]!);
  const headers: Record<string, string> = {};
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  const auth: Record<string, string | undefined> = {
    none: undefined, bearer: `Bearer ${fx.bearer}`, client: `Basic ${b64(`${CLIENT.id}:${CLIENT.secret}`)}`, amt: `Basic ${b64(`default:${CLIENT.amt}`)}`,
    amtBearer: `Bearer ${CLIENT.amt}`, garbage: `Bearer ${encodeURIComponent(r.garbage)}`, badBasic: 'Basic !!!not-base64', wrongSecret: `Basic ${b64(`${CLIENT.id}:nope`)}`, long: `Bearer ${'a'.repeat(8000)}`,
  };
  if (auth[r.auth]) headers.authorization = auth[r.auth]!;
  if (r.contentType) headers['content-type'] = r.contentType;
  if (r.unit !== null) headers['sc-unit-system'] = encodeURIComponent(r.unit);
  const isForm = op.form || r.contentType === 'application/x-www-form-urlencoded';
  const area = op.path.startsWith('/account') ? 'owner' : op.path.startsWith('/connect') ? 'flow' : 'dev';
  if (r.session === 'valid') headers.cookie = area === 'owner' ? fx.ownerCookie : area === 'flow' ? fx.flowCookie : fx.devCookie;
  else if (r.session === 'garbage') headers.cookie = `oc_dev=${encodeURIComponent(r.garbage)}; oc_owner=x`;
  let payload = r.body === BIG ? bigBody() : r.body;
  if (op.bodyKeys.length && !isForm && r.body === undefined) payload = JSON.stringify(Object.fromEntries(op.bodyKeys.map((k, i) => [k, r.shaped[i % r.shaped.length]])));
  if (isForm) {
    const csrf = area === 'owner' ? fx.ownerCsrf : fx.devCsrf;
    const fields = new URLSearchParams();
    if (r.csrf === 'valid') fields.append('_csrf', csrf);
    if (r.csrf === 'garbage') fields.append('_csrf', r.garbage);
    if (r.csrf === 'array') { fields.append('_csrf', csrf); fields.append('_csrf', csrf); }
    for (const [i, v] of r.shaped.entries()) fields.append(['email', 'password', 'name', 'url', 'action', 'minutes', 'make', 'username', 'decision', 'vehicle', 'type', 'plan'][i * 2 % 12]!, asText(v));
    payload = r.contentType === 'application/json' ? JSON.stringify({ _csrf: r.csrf === 'valid' ? csrf : r.shaped[0], email: r.shaped[1], password: r.shaped[2], action: r.shaped[3] }) : fields.toString();
    headers['content-type'] ??= 'application/x-www-form-urlencoded';
    if (r.session === 'garbage') headers.origin = 'https://evil.example';
  }
  return { method: r.method ?? op.method, url: `${path}${pairs.length ? `?${pairs.join('&')}` : ''}`, headers, payload, remoteAddress: `100.${r.address[0]}.${r.address[1]}.${r.address[2]}` };
}

const V2_KEYS = ['code', 'description', 'docURL', 'requestId', 'resolution', 'statusCode', 'suggestedUserMessage', 'type'];
const STACK = /\n\s+at\s.+:\d+:\d+|node:internal|\/work\/|\.ts:\d+/;
/** Documented 5xx answers of the catalogue: capabilities (501), the brand's cloud (502), battery-capacity records (500). */
const DOCUMENTED_5XX = new Set(['501 COMPATIBILITY', '502 UPSTREAM', '500 SERVER:RECORD_NOT_FOUND', '500 SERVER:MULTIPLE_RECORDS_FOUND']);

function judge(req: Req, res: { statusCode: number; headers: Record<string, unknown>; body: string }): string | undefined {
  const type = String(res.headers['content-type'] ?? '');
  if (STACK.test(res.body)) return 'stack trace or internal path in the body';
  let json: Record<string, unknown> | undefined;
  if (type.includes('application/json') && res.body) {
    try { json = JSON.parse(res.body) as Record<string, unknown>; } catch { return 'invalid JSON'; }
  }
  const v2 = json && typeof json.type === 'string' ? json : undefined;
  const v3 = json && Array.isArray(json.errors) ? (json.errors[0] as Record<string, unknown> | undefined) : undefined;
  const err = v2 ?? v3;
  if (res.statusCode >= 500 && !(req.method === 'HEAD' && (res.statusCode === 501 || res.statusCode === 502))) {
    const key = err ? `${res.statusCode} ${String(err.type)}${err.code && res.statusCode === 500 ? `:${String(err.code)}` : ''}` : String(res.statusCode);
    if (!DOCUMENTED_5XX.has(key)) return `server error ${key}`;
  }
  const path = req.url.split('?')[0]!;
  const api = /^\/(v2\.0|v3|simulator)(\/|$)/.test(path);
  if (api && res.statusCode >= 400 && req.method !== 'HEAD') {
    if (!json) return `API error without a JSON body (${type})`;
    if (path.startsWith('/v3/') && v3) {
      for (const k of ['type', 'code', 'status']) if (!(k in v3)) return `v3 error without ${k}`;
      return undefined;
    }
    if (!v2) return 'API error without type';
    const keys = Object.keys(v2).filter((k) => k !== 'detail').sort();
    if (JSON.stringify(keys) !== JSON.stringify(V2_KEYS)) return `v2 error keys ${keys.join(',')}`;
    if (v2.statusCode !== res.statusCode || v2.requestId !== res.headers['sc-request-id']) return 'v2 error statusCode/requestId mismatch';
  }
  if (path.startsWith('/oauth/token') && req.method === 'POST' && res.statusCode >= 400 && json && (typeof json.error !== 'string' || typeof json.error_description !== 'string')) return 'token error not {error, error_description}';
  return undefined;
}

describe(`fuzzing every operation of /openapi.json and every form route (${RUNS} requests)`, () => {
  it('finds the operations in the document and the form routes beside it', () => {
    expect(operations.length).toBeGreaterThan(60);
    expect(operations.filter((o) => o.form).length).toBeGreaterThan(10);
  });

  it('answers every malformed request without a 5xx of its own, in the documented shape, with no stack trace', async () => {
    const statuses: Record<string, number> = {};
    let n = 0;
    await fc.assert(fc.asyncProperty(request, async (r) => {
      // Fuzzed forms may delete the app, rotate its secret or disconnect the vehicle: reseed now and then.
      if (++n % 250 === 0) fx = await seed();
      const req = build(r);
      let res;
      try {
        res = await app.inject({ method: req.method as 'GET', url: req.url, headers: req.headers, payload: req.payload, remoteAddress: req.remoteAddress });
      } catch (e) {
        // The test's own HTTP client refuses some inputs (e.g. a header it cannot send): nothing reached the server.
        if ((e as { code?: string }).code === 'ERR_INVALID_CHAR' || /Invalid character in header|header content/i.test(String((e as Error).message))) return;
        throw e;
      }
      statuses[res.statusCode] = (statuses[res.statusCode] ?? 0) + 1;
      const problem = judge(req, res);
      if (problem) throw new Error(`${problem}: ${req.method} ${req.url.slice(0, 300)} → ${res.statusCode} ${res.body.slice(0, 300)}`);
    }), { numRuns: RUNS, endOnFailure: RUNS > 10_000 });
    process.stdout.write(`fuzz: ${RUNS} requests, answers by status ${JSON.stringify(statuses)}\n`);
  }, Math.max(110_000, RUNS * 20));

  it('is healthy afterwards: liveness, readiness, and an honest vehicle call still answer', async () => {
    fx = await seed();
    expect((await app.inject({ url: '/healthz' })).statusCode).toBe(200);
    expect((await app.inject({ url: '/readyz' })).statusCode).toBe(200);
    const odo = await app.inject({ url: `/v2.0/vehicles/${fx.vehicleId}/odometer`, headers: { authorization: `Bearer ${fx.bearer}` }, remoteAddress: '192.0.2.200' });
    expect(odo.statusCode).toBe(200);
    expect(Number.isFinite((odo.json() as { distance: number }).distance)).toBe(true);
  });
});
