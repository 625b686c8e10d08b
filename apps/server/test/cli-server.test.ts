import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serverHoldsDatabase } from '@opencar/storage';
import { REPO_ROOT, spawnServer, type ServerProcess } from '@opencar/e2e';
import { connectVehicle } from '../../../packages/e2e/test/sdk-connect.js';
import { cli } from './cli-helpers.js';
import { EXIT } from '../src/cli/exit-codes.js';

const dir = mkdtempSync(join(tmpdir(), 'opencar-cli-server-'));
const KEY = 'cli-server-secret-key-0123456789';
const CLIENT = { id: 'cli-server-client', secret: 'cli-server-secret-0123456789', redirect: 'https://app.example/cb' };
const env = {
  DATABASE_URL: `sqlite:${join(dir, 'opencar.db')}`, OPENCAR_DATA_DIR: dir, OPENCAR_SECRET_KEY: KEY,
  OPENCAR_SEED_CLIENT_ID: CLIENT.id, OPENCAR_SEED_CLIENT_SECRET: CLIENT.secret, OPENCAR_SEED_AMT: 'cli-server-amt', OPENCAR_SEED_REDIRECT_URIS: CLIENT.redirect,
};
let server: ServerProcess;
let cliEnv: Record<string, string>;

beforeAll(async () => {
  server = await spawnServer(env);
  cliEnv = { ...env, PORT: String(server.port), HOST: '127.0.0.1' };
}, 60_000);
afterAll(async () => { await server?.stop(); rmSync(dir, { recursive: true, force: true }); });

describe('opencar CLI with a server holding the SQLite file', () => {
  it('goes through the running server: suspension answers BILLING:ACCOUNT_SUSPENDED at once, reinstating restores access', async () => {
    expect(serverHoldsDatabase(env.DATABASE_URL)).toBe(true);
    const { token, vehicleId } = await connectVehicle(server.base, CLIENT, { make: 'TESLA', email: 'owner@cli.test' }, ['read_vin']);
    const vin = () => fetch(`${server.base}/v2.0/vehicles/${vehicleId}/vin`, { headers: { authorization: `Bearer ${token}` } });
    expect((await vin()).status).toBe(200);

    const status = await cli(cliEnv, '--json', 'status');
    expect(status.code, status.err).toBe(0);
    expect(JSON.parse(status.out)).toMatchObject({ via: 'server', developers: 1, apps: 1, connectedVehicles: 1 });
    expect((JSON.parse(status.out) as { requestsToday: number }).requestsToday).toBeGreaterThanOrEqual(1);

    const suspended = await cli(cliEnv, 'developers', 'suspend', 'seed@opencar.local');
    expect(suspended.out.trim()).toBe('seed@opencar.local: plan enterprise, suspended');
    const refused = await vin();
    expect(refused.status).toBe(430);
    expect(await refused.json()).toMatchObject({ type: 'BILLING', code: 'ACCOUNT_SUSPENDED' });
    expect((await cli(cliEnv, 'developers', 'reinstate', 'seed@opencar.local')).code).toBe(0);
    expect((await vin()).status).toBe(200);
  }, 60_000);

  it('rotating the client secret through the server: the old secret stops working at the token endpoint', async () => {
    const basic = (secret: string) => `Basic ${Buffer.from(`${CLIENT.id}:${secret}`).toString('base64')}`;
    const tokenWith = (secret: string) => fetch(`${server.base}/oauth/token`, {
      method: 'POST', headers: { authorization: basic(secret), 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=refresh_token&refresh_token=not-a-token',
    });
    expect((await tokenWith(CLIENT.secret)).status).toBe(400); // client accepted, refresh token refused
    const r = JSON.parse((await cli(cliEnv, '--json', 'apps', 'rotate-secret', CLIENT.id)).out) as { clientSecret: string };
    expect((await tokenWith(CLIENT.secret)).status).toBe(401);
    expect((await tokenWith(r.clientSecret)).status).toBe(400);
    expect((await cli(cliEnv, 'apps', 'show', 'nope')).code).toBe(EXIT.notFound);
  }, 60_000);

  it('a CLI with another OPENCAR_SECRET_KEY is refused by the server (exit 5)', async () => {
    const r = await cli({ ...cliEnv, OPENCAR_SECRET_KEY: 'another-key-0123456789abcdef' }, 'developers', 'list');
    expect(r.code).toBe(EXIT.unavailable);
    expect(r.err.trim()).toBe(`opencar: the server at http://127.0.0.1:${server.port} refused the operator signature: it runs with a different OPENCAR_SECRET_KEY`);
  });

  it('the operator interface refuses unsigned, replayed and foreign requests', async () => {
    const post = (headers: Record<string, string>) => fetch(`${server.base}/admin/api/developers.list`, { method: 'POST', headers: { 'content-type': 'application/vnd.opencar.operator+json', ...headers }, body: '{}' });
    expect((await post({})).status).toBe(401);
    const { signRequest } = await import('../src/operations/cli-signature.js');
    const sig = signRequest(KEY, 'POST', '/admin/api/developers.list', '{}');
    expect((await post({ 'x-opencar-operator': sig })).status).toBe(200);
    expect((await post({ 'x-opencar-operator': sig })).status).toBe(401);
    expect((await post({ 'x-opencar-operator': signRequest(KEY, 'POST', '/admin/api/developers.list', '{}', Date.now() - 120_000) })).status).toBe(401);
    expect((await post({ 'x-opencar-operator': signRequest(KEY, 'POST', '/admin/api/apps.list', '{}') })).status).toBe(401);
  });

  it('the opencar command as a process: exit statuses and one-line errors', async () => {
    const run = (...args: string[]) => new Promise<{ code: number | null; out: string; err: string }>((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'apps/server/src/opencar.ts'), ...args], { cwd: REPO_ROOT, env: { ...process.env, ...cliEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      child.stdout.on('data', (d) => { out += d; });
      child.stderr.on('data', (d) => { err += d; });
      const limit = setTimeout(() => { child.kill('SIGKILL'); reject(new Error('opencar did not exit within 60 s')); }, 60_000);
      child.on('exit', (code) => { clearTimeout(limit); resolve({ code, out, err }); });
    });
    const shown = await run('developers', 'show', 'seed@opencar.local');
    expect(shown.code, shown.err).toBe(0);
    expect(shown.out).toMatch(/^plan\s+enterprise$/m);
    const missing = await run('developers', 'show', 'nobody@example.com');
    expect(missing.code).toBe(EXIT.notFound);
    expect(missing.err).toBe('opencar: no developer with id or e-mail "nobody@example.com"\n');
    expect((await run('--help')).code).toBe(0);
    expect((await run('teleport')).code).toBe(EXIT.usage);
  }, 120_000);
});
