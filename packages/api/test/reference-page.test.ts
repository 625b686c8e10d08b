import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cspHash } from '@opencar/ui';
import { testApp } from '../../../apps/server/test/helpers.js';
import { OPERATION_EXAMPLES, SDK_CALLS, curlSnippet, nodeSnippet } from '../src/index.js';

/** The rendered /docs/api of the whole platform. */
let t: Awaited<ReturnType<typeof testApp>>;
let body: string;
let csp: string;
let operationCount: number;

beforeAll(async () => {
  t = await testApp();
  const res = await t.app.inject('/docs/api');
  expect(res.statusCode).toBe(200);
  body = res.body;
  csp = String(res.headers['content-security-policy']);
  const doc = (await t.app.inject('/openapi.json')).json() as { paths: Record<string, Record<string, unknown>> };
  operationCount = Object.values(doc.paths).reduce((n, item) => n + Object.keys(item).length, 0);
});
afterAll(async () => t?.close());

describe('API reference page', () => {
  it('has an Authentication section naming the four credentials', () => {
    for (const id of ['authentication', 'auth-access-token', 'auth-application-token', 'auth-client', 'auth-management']) expect(body).toContain(`id="${id}"`);
    expect(body).toContain('client_secret_basic');
    expect(body).toContain('Authorization: Bearer APPLICATION_TOKEN');
  });

  it('gives every operation a curl and a Node.js example and names its credential', () => {
    expect(body.match(/class="tab-panel" id="[^"]+" data-lang="curl"/g)).toHaveLength(operationCount);
    expect(body.match(/class="tab-panel" id="[^"]+" data-lang="node"/g)).toHaveLength(operationCount);
    expect(body.match(/<p>Authentication: /g)).toHaveLength(operationCount);
    expect(body).toContain('const result = await vehicle.odometer();');
    expect(body).toContain('smartcar.getCompatibility(');
    expect(body).toContain('const res = await fetch(&quot;http://opencar.test/v3/connections?');
  });

  it('renders fields as tables: no JSON Schema, no Markdown backticks, no internal references', () => {
    expect(body).not.toMatch(/&quot;(properties|additionalProperties|anyOf|minItems)&quot;/);
    expect(body).toContain('<td><code>requests[].path</code></td><td>string</td><td>yes</td>');
    expect(body).not.toContain('`');
    expect(body).not.toMatch(/wire-contract/i);
    expect(body).not.toContain('§');
  });

  it('allows exactly its own script and loads nothing from elsewhere', () => {
    const script = /<script>([\s\S]*?)<\/script>/.exec(body)?.[1];
    expect(script).toBeDefined();
    expect(csp).toContain(`script-src ${cspHash(script!)}`);
    expect(csp).toContain("default-src 'none'");
    expect(body).not.toMatch(/<script[^>]+src=|<link[^>]+href="https?:/);
    expect(body).toMatch(/<div id="search-box" hidden>/);
  });
});

describe('example snippets', () => {
  const sdk = createRequire(import.meta.url)('smartcar') as Record<string, unknown> & { Vehicle: { prototype: object }; AuthClient: { prototype: object } };

  it('call only methods the official Node SDK has', () => {
    for (const [key, call] of Object.entries(SDK_CALLS)) {
      const target = call.on === 'smartcar' ? sdk : call.on === 'Vehicle' ? sdk.Vehicle.prototype : sdk.AuthClient.prototype;
      expect(typeof (target as Record<string, unknown>)[call.method], `${key}: ${call.on}.${call.method}`).toBe('function');
    }
  });

  it('build curl and fetch calls from the recorded request', () => {
    const v3 = OPERATION_EXAMPLES['POST /v3/vehicles/{id}/commands/charge/set-limit']!;
    const curl = curlSnippet('https://cars.example', 'POST', '/v3/vehicles/{id}/commands/charge/set-limit', v3.request);
    expect(curl).toContain(`curl -X POST 'https://cars.example/v3/vehicles/${v3.request.path!.id}/commands/charge/set-limit'`);
    expect(curl).toContain('-H "Authorization: Bearer $APPLICATION_TOKEN"');
    expect(curl).toContain(`-H 'sc-user-id: ${v3.request.headers!['sc-user-id']}'`);
    expect(curl).toContain(`-d '{"data":{"attributes":{"percent":80}}}'`);
    const token = OPERATION_EXAMPLES['POST /oauth2/token']!;
    expect(curlSnippet('https://cars.example', 'POST', '/oauth2/token', token.request)).toContain("--data-urlencode 'grant_type=client_credentials'");
    const node = nodeSnippet('https://cars.example', 'POST /v3/vehicles/{id}/commands/charge/set-limit', v3.request);
    expect(node).toContain("authorization: 'Bearer ' + process.env.APPLICATION_TOKEN");
    expect(node).toContain('body: JSON.stringify({"data":{"attributes":{"percent":80}}})');
    const brand = nodeSnippet('https://cars.example', 'GET /v2.0/vehicles/{id}/{make}/{path}', OPERATION_EXAMPLES['GET /v2.0/vehicles/{id}/{make}/{path}']!.request);
    expect(brand).toContain('await vehicle.request("get", "tesla/charge")');
  });
});
