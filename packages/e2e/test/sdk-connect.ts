import smartcar, { type Access, type Vehicle } from 'smartcar';
import { ManualClock } from '@opencar/core';
import { TEST_CLIENT, startServer, type LiveServer } from '../src/index.js';

/**
 * Walks Connect over plain HTTP the way a browser would — following redirects, keeping cookies and
 * submitting each page's form — and returns the authorization code from the final redirect.
 * It relies only on the page-automation contract (wire-contract §2.5): the preamble's continue form,
 * brand buttons named `make`, the sign-in form with username/password, and the approval button.
 */
export interface ConnectLogin {
  make: string;
  email: string;
  password?: string;
  redirectUri: string;
  /** Filled with the name of every Connect step whose form was submitted (continue, brand, login, consent). */
  steps?: string[];
  /** The redirect parameter to return: `code` (default), or `vehicle_id` for a re-authentication. */
  returns?: 'code' | 'vehicle_id';
}

const decode = (s: string) => s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
const attr = (tag: string, name: string) => { const m = new RegExp(`\\b${name}="([^"]*)"`).exec(tag); return m ? decode(m[1]!) : undefined; };

function postForms(html: string): { action: string; inner: string }[] {
  return [...html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)]
    .filter((m) => (attr(m[1]!, 'method') ?? 'get').toLowerCase() === 'post')
    .map((m) => ({ action: attr(m[1]!, 'action') ?? '', inner: m[2]! }));
}

function fieldsOf(inner: string, login: ConnectLogin, step: string): URLSearchParams {
  const out = new URLSearchParams();
  for (const m of inner.matchAll(/<input\b[^>]*>/g)) {
    const tag = m[0];
    const type = (attr(tag, 'type') ?? 'text').toLowerCase();
    const name = attr(tag, 'name');
    if (!name || /\bdisabled\b/.test(tag)) continue;
    if (type === 'hidden') out.append(name, attr(tag, 'value') ?? '');
    if ((type === 'checkbox' || type === 'radio') && name === 'vehicle') out.append(name, attr(tag, 'value') ?? '');
  }
  if (step === 'brand') out.set('make', login.make.toUpperCase());
  if (step === 'login') { out.set('username', login.email); out.set('password', login.password ?? 'password'); }
  if (step === 'consent') out.set('decision', 'approve');
  return out;
}

export async function connectOverHttp(authUrl: string, login: ConnectLogin): Promise<string> {
  const cookies = new Map<string, string>();
  let url = authUrl;
  let init: RequestInit = { method: 'GET' };
  for (let hop = 0; hop < 25; hop++) {
    const res = await fetch(url, { ...init, redirect: 'manual', headers: { ...(init.headers as Record<string, string> | undefined), cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; ') } });
    for (const c of res.headers.getSetCookie()) { const [pair = ''] = c.split(';'); const i = pair.indexOf('='); cookies.set(pair.slice(0, i), pair.slice(i + 1)); }
    if (res.status >= 300 && res.status < 400) {
      const next = new URL(res.headers.get('location')!, url).toString();
      if (next.startsWith(login.redirectUri)) {
        const q = new URL(next).searchParams;
        const code = q.get(login.returns ?? 'code');
        if (!code) throw new Error(`Connect ended with ${q.get('error')}: ${q.get('error_description')}`);
        return code;
      }
      url = next;
      init = { method: 'GET' };
      continue;
    }
    const html = await res.text();
    if (res.status >= 400 && !html.includes('<form')) throw new Error(`Connect page ${url} answered ${res.status}: ${html.slice(0, 300)}`);
    const forms = postForms(html);
    const pick = ['consent', 'login', 'brand', 'continue'].map((s) => ({ s, f: forms.find((f) => f.action.endsWith(`/${s}`)) })).find((x) => x.f);
    if (!pick?.f) throw new Error(`no Connect form on ${url} (status ${res.status}): ${html.replace(/\s+/g, ' ').slice(0, 400)}`);
    login.steps?.push(pick.s);
    url = new URL(pick.f.action, url).toString();
    init = { method: 'POST', body: fieldsOf(pick.f.inner, login, pick.s).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } };
  }
  throw new Error('Connect did not finish within 25 steps');
}

/** An app's OAuth client, as a test seeds it. */
export interface TestClient { id: string; secret: string; redirect: string }

/**
 * Connects one simulated owner's first vehicle over HTTP (Connect pages, then the token
 * endpoint with the client's Basic credentials) and returns its access token and vehicle id.
 */
export async function connectVehicle(base: string, client: TestClient, login: { make: string; email: string }, scope: string[]): Promise<{ token: string; vehicleId: string }> {
  const authUrl = `${base}/oauth/authorize?response_type=code&client_id=${client.id}&redirect_uri=${encodeURIComponent(client.redirect)}&scope=${scope.join('%20')}&mode=simulated`;
  const code = await connectOverHttp(authUrl, { ...login, redirectUri: client.redirect });
  const tok = await fetch(`${base}/oauth/token`, {
    method: 'POST', headers: { authorization: `Basic ${Buffer.from(`${client.id}:${client.secret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: client.redirect }).toString(),
  }).then((r) => r.json()) as { access_token: string };
  const { vehicles } = await fetch(`${base}/v2.0/vehicles`, { headers: { authorization: `Bearer ${tok.access_token}` } }).then((r) => r.json()) as { vehicles: string[] };
  return { token: tok.access_token, vehicleId: vehicles[0]! };
}

export const ALL_SCOPES = [
  'read_vehicle_info', 'read_vin', 'read_location', 'read_odometer', 'read_fuel', 'read_battery', 'read_charge', 'control_charge',
  'read_tires', 'read_engine_oil', 'read_security', 'control_security', 'control_navigation', 'read_service_history', 'read_diagnostics',
];

export interface SdkWorld {
  server: LiveServer;
  clock: ManualClock;
  /** Connect an owner through the Connect pages, exchange the code with the SDK, and return the first vehicle. */
  connect(make: string, email: string, scope?: string[], mode?: 'live' | 'simulated' | 'test'): Promise<{ access: Access; vehicleId: string; vehicle: Vehicle }>;
  close(): Promise<void>;
}

/** A live opencar with a frozen virtual clock, and the SDK pointed at it through its environment variables. */
export async function sdkWorld(): Promise<SdkWorld> {
  const clock = new ManualClock(Date.UTC(2026, 5, 1, 10));
  const server = await startServer({ clock });
  for (const k of ['SMARTCAR_API_ORIGIN', 'SMARTCAR_AUTH_ORIGIN', 'SMARTCAR_MANAGEMENT_API_ORIGIN', 'SMARTCAR_API_V3_ORIGIN']) process.env[k] = server.url;
  return {
    server,
    clock,
    async connect(make, email, scope = ALL_SCOPES, mode = 'simulated') {
      const client = new smartcar.AuthClient({ clientId: TEST_CLIENT.clientId, clientSecret: TEST_CLIENT.clientSecret, redirectUri: TEST_CLIENT.redirectUri, mode });
      const code = await connectOverHttp(client.getAuthUrl(scope, { forcePrompt: true }), { make, email, redirectUri: TEST_CLIENT.redirectUri });
      const access = await client.exchangeCode(code);
      const { vehicles } = (await smartcar.getVehicles(access.accessToken)) as unknown as { vehicles: string[] };
      const vehicleId = vehicles[0]!;
      return { access, vehicleId, vehicle: new smartcar.Vehicle(vehicleId, access.accessToken) };
    },
    close: () => server.close(),
  };
}

/** The keys of an SDK result: the wire body's keys plus `meta`. */
export const keysOf = (o: object) => Object.keys(o).sort();
export const withMeta = (...keys: string[]) => [...keys, 'meta'].sort();
