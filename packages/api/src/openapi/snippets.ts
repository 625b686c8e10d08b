import type { OperationExample } from './examples.js';

/**
 * Ready-to-run calls for the reference: curl, and Node.js with the official `smartcar` SDK where it has
 * the method (plain `fetch` otherwise). Credentials come from environment variables named in the
 * reference's Authentication section; every other value is the recorded example's.
 */
type Request = OperationExample['request'];

const CURL_AUTH: Record<string, string> = {
  user: '-H "Authorization: Bearer $ACCESS_TOKEN"',
  'user-tesla': '-H "Authorization: Bearer $ACCESS_TOKEN"',
  app: '-H "Authorization: Bearer $APPLICATION_TOKEN"',
  client: '-u "$CLIENT_ID:$CLIENT_SECRET"',
  management: '-u "default:$MANAGEMENT_TOKEN"',
  'management-bearer': '-H "Authorization: Bearer $MANAGEMENT_TOKEN"',
};

const basic = (user: string, password: string) => `authorization: 'Basic ' + Buffer.from(${user} + ':' + ${password}).toString('base64')`;
const FETCH_AUTH: Record<string, string> = {
  user: "authorization: 'Bearer ' + process.env.ACCESS_TOKEN",
  'user-tesla': "authorization: 'Bearer ' + process.env.ACCESS_TOKEN",
  app: "authorization: 'Bearer ' + process.env.APPLICATION_TOKEN",
  client: basic('process.env.CLIENT_ID', 'process.env.CLIENT_SECRET'),
  management: basic("'default'", 'process.env.MANAGEMENT_TOKEN'),
  'management-bearer': "authorization: 'Bearer ' + process.env.MANAGEMENT_TOKEN",
};

/** The example's path with its parameters filled in, and its query string. */
export function exampleUrl(base: string, template: string, req: Request): string {
  const path = template.replace(/\{([^}]+)\}/g, (_, name: string) => (name === 'path' ? req.path?.path ?? '' : encodeURIComponent(req.path?.[name] ?? `{${name}}`)));
  const query = new URLSearchParams(req.query ?? {}).toString();
  return `${base}${path}${query ? `?${query}` : ''}`;
}

const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
const formBody = (body: unknown) => Object.entries((body ?? {}) as Record<string, string>);

export function curlSnippet(base: string, method: string, template: string, req: Request): string {
  const lines = [`curl${req.query && Object.keys(req.query).some((k) => /[[\]]/.test(k)) ? ' -g' : ''}${method === 'GET' ? '' : ` -X ${method}`} ${shellQuote(exampleUrl(base, template, req))}`];
  if (CURL_AUTH[req.auth]) lines.push(CURL_AUTH[req.auth]!);
  for (const [name, value] of Object.entries(req.headers ?? {})) lines.push(`-H ${shellQuote(`${name}: ${value}`)}`);
  if (req.contentType === 'application/json') lines.push(`-H 'Content-Type: application/json'`, `-d ${shellQuote(JSON.stringify(req.body))}`);
  if (req.contentType === 'application/x-www-form-urlencoded') {
    for (const [k, v] of formBody(req.body)) lines.push(`--data-urlencode ${shellQuote(`${k}=${v}`)}`);
  }
  return lines.join(' \\\n  ');
}

const js = (v: unknown) => JSON.stringify(v);
const q = (req: Request, name: string) => req.query?.[name];
const num = (v: string | undefined) => (v === undefined ? undefined : Number(v));
const body = (req: Request) => (req.body ?? {}) as Record<string, unknown>;
const vehicle = (req: Request, unit?: string) =>
  `const vehicle = new smartcar.Vehicle(${js(req.path?.id ?? '')}, process.env.ACCESS_TOKEN${unit ? `, { unitSystem: ${js(unit)} }` : ''});`;

/** An SDK call: which object it is on, its method, and the code that makes it. */
export interface SdkCall { on: 'smartcar' | 'Vehicle' | 'AuthClient'; method: string; code: (req: Request) => string[] }

const onVehicle = (method: string, args: (req: Request) => unknown[] = () => []): SdkCall => ({
  on: 'Vehicle', method,
  code: (req) => [vehicle(req, req.headers?.['sc-unit-system']), `const result = await vehicle.${method}(${args(req).filter((a) => a !== undefined).map(js).join(', ')});`],
});
const authClient = 'const client = new smartcar.AuthClient({ clientId: process.env.CLIENT_ID, clientSecret: process.env.CLIENT_SECRET, redirectUri: \'https://app.example/cb\', mode: \'simulated\' });';

/** Operations the official Node SDK covers, by `METHOD /path`. */
export const SDK_CALLS: Record<string, SdkCall> = {
  'GET /oauth/authorize': { on: 'AuthClient', method: 'getAuthUrl', code: (req) => [authClient, `const url = client.getAuthUrl(${js(String(q(req, 'scope') ?? '').split(' ').filter(Boolean))}, { state: ${js(q(req, 'state') ?? '')} });`] },
  'POST /oauth/token': { on: 'AuthClient', method: 'exchangeRefreshToken', code: () => [authClient, 'const tokens = await client.exchangeRefreshToken(process.env.REFRESH_TOKEN);'] },
  'GET /v2.0/user': { on: 'smartcar', method: 'getUser', code: () => ['const user = await smartcar.getUser(process.env.ACCESS_TOKEN);'] },
  'GET /v2.0/vehicles': { on: 'smartcar', method: 'getVehicles', code: (req) => [`const { vehicles, paging } = await smartcar.getVehicles(process.env.ACCESS_TOKEN, ${js({ limit: num(q(req, 'limit')), offset: num(q(req, 'offset')) })});`] },
  'GET /v2.0/vehicles/{id}': onVehicle('attributes'),
  'GET /v2.0/vehicles/{id}/vin': onVehicle('vin'),
  'GET /v2.0/vehicles/{id}/location': onVehicle('location'),
  'GET /v2.0/vehicles/{id}/odometer': onVehicle('odometer'),
  'GET /v2.0/vehicles/{id}/fuel': onVehicle('fuel'),
  'GET /v2.0/vehicles/{id}/battery': onVehicle('battery'),
  'GET /v2.0/vehicles/{id}/battery/capacity': onVehicle('batteryCapacity'),
  'GET /v2.0/vehicles/{id}/battery/nominal_capacity': onVehicle('nominalCapacity'),
  'GET /v2.0/vehicles/{id}/charge': onVehicle('charge'),
  'GET /v2.0/vehicles/{id}/charge/limit': onVehicle('getChargeLimit'),
  'POST /v2.0/vehicles/{id}/charge/limit': onVehicle('setChargeLimit', (req) => [body(req).limit]),
  'GET /v2.0/vehicles/{id}/tires/pressure': onVehicle('tirePressure'),
  'GET /v2.0/vehicles/{id}/engine/oil': onVehicle('engineOil'),
  'GET /v2.0/vehicles/{id}/security': onVehicle('lockStatus'),
  'POST /v2.0/vehicles/{id}/navigation/destination': onVehicle('sendDestination', (req) => [body(req).latitude, body(req).longitude]),
  'GET /v2.0/vehicles/{id}/service/history': onVehicle('serviceHistory', (req) => [q(req, 'start_date'), q(req, 'end_date')]),
  'GET /v2.0/vehicles/{id}/diagnostics/system_status': onVehicle('diagnosticSystemStatus'),
  'GET /v2.0/vehicles/{id}/diagnostics/dtcs': onVehicle('diagnosticTroubleCodes'),
  'GET /v2.0/vehicles/{id}/permissions': onVehicle('permissions', (req) => [q(req, 'limit') ? { limit: num(q(req, 'limit')) } : undefined]),
  'DELETE /v2.0/vehicles/{id}/application': onVehicle('disconnect'),
  'POST /v2.0/vehicles/{id}/webhooks/{webhookId}': onVehicle('subscribe', (req) => [req.path?.webhookId]),
  'POST /v2.0/vehicles/{id}/batch': onVehicle('batch', (req) => [((body(req).requests ?? []) as { path: string }[]).map((r) => r.path)]),
  'GET /v3/vehicles/{id}/signals': onVehicle('getSignals'),
  'GET /v3/vehicles/{id}/signals/{code}': onVehicle('getSignal', (req) => [req.path?.code]),
  'GET /v2.0/compatibility': {
    on: 'smartcar', method: 'getCompatibility',
    code: (req) => [`const result = await smartcar.getCompatibility(${js(q(req, 'vin'))}, ${js(String(q(req, 'scope') ?? '').split(' ').filter(Boolean))}, ${js(q(req, 'country') ?? 'US')}, { clientId: process.env.CLIENT_ID, clientSecret: process.env.CLIENT_SECRET });`],
  },
  'GET /v2.0/compatibility/matrix': {
    on: 'smartcar', method: 'getCompatibilityMatrix',
    code: (req) => [`const matrix = await smartcar.getCompatibilityMatrix(${js(q(req, 'region') ?? 'US')}, { make: ${js(q(req, 'make'))}, scope: ${js(String(q(req, 'scope') ?? '').split(' ').filter(Boolean))}, clientId: process.env.CLIENT_ID, clientSecret: process.env.CLIENT_SECRET });`],
  },
  'GET /v2.0/management/connections': { on: 'smartcar', method: 'getConnections', code: (req) => [`const { connections, paging } = await smartcar.getConnections(process.env.MANAGEMENT_TOKEN, { vehicleId: ${js(q(req, 'vehicle_id'))} }, { limit: ${num(q(req, 'limit')) ?? 10} });`] },
  'DELETE /v2.0/management/connections': { on: 'smartcar', method: 'deleteConnections', code: (req) => [`const { connections } = await smartcar.deleteConnections(process.env.MANAGEMENT_TOKEN, { vehicleId: ${js(q(req, 'vehicle_id'))} });`] },
};

/** SDK calls that depend on the request body (one method per action). */
function sdkByBody(key: string, req: Request): SdkCall | undefined {
  const action = body(req).action;
  if (key === 'POST /v2.0/vehicles/{id}/charge') return onVehicle(action === 'STOP' ? 'stopCharge' : 'startCharge');
  if (key === 'POST /v2.0/vehicles/{id}/security') return onVehicle(action === 'UNLOCK' ? 'unlock' : 'lock');
  if (key === 'DELETE /v2.0/vehicles/{id}/webhooks/{webhookId}') {
    return { on: 'Vehicle', method: 'unsubscribe', code: (r) => [vehicle(r), `const result = await vehicle.unsubscribe(process.env.MANAGEMENT_TOKEN, ${js(r.path?.webhookId)});`] };
  }
  if (/^(GET|POST|PUT|DELETE) \/v2\.0\/vehicles\/\{id\}\/\{make\}\/\{path\}$/.test(key)) {
    const method = key.split(' ')[0]!.toLowerCase();
    return { on: 'Vehicle', method: 'request', code: (r) => [vehicle(r), `const { body } = await vehicle.request(${js(method)}, ${js(`${r.path?.make}/${r.path?.path}`)}${r.body === undefined ? '' : `, ${js(r.body)}`});`] };
  }
  return undefined;
}

/** The SDK call for an operation's example, when the SDK has one. */
export const sdkCall = (key: string, req: Request): SdkCall | undefined => SDK_CALLS[key] ?? sdkByBody(key, req);

export function nodeSnippet(base: string, key: string, req: Request): string {
  const sdk = sdkCall(key, req);
  if (sdk) return ["import smartcar from 'smartcar';", '', ...sdk.code(req)].join('\n');
  const [method, template] = key.split(' ') as [string, string];
  const headers = [FETCH_AUTH[req.auth], ...Object.entries(req.headers ?? {}).map(([k, v]) => `${js(k)}: ${js(v)}`)];
  let payload: string | undefined;
  if (req.contentType === 'application/json') { headers.push("'content-type': 'application/json'"); payload = `JSON.stringify(${js(req.body)})`; }
  if (req.contentType === 'application/x-www-form-urlencoded') payload = `new URLSearchParams(${js(Object.fromEntries(formBody(req.body)))})`;
  const options = [method === 'GET' ? undefined : `method: ${js(method)}`, headers.filter(Boolean).length ? `headers: { ${headers.filter(Boolean).join(', ')} }` : undefined, payload ? `body: ${payload}` : undefined].filter(Boolean);
  return [
    `const res = await fetch(${js(exampleUrl(base, template, req))}${options.length ? `, {\n  ${options.join(',\n  ')},\n}` : ''});`,
    "console.log(res.status, res.headers.get('content-type')?.includes('json') ? await res.json() : await res.text());",
  ].join('\n');
}
