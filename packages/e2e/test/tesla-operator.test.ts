import { spawn } from 'node:child_process';
import { createPublicKey } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, freePort, spawnServer, type ServerProcess } from '../src/index.js';
import { PROXY_CA_FILE, startTeslaEmulator, type TeslaEmulator } from '../../connectors/test/oem/tesla/emulator/server.js';
import { keyHex } from '../../connectors/test/oem/tesla/emulator/state.js';

/**
 * The operator's Tesla setup as documented: `npm run tesla -- self-test | keys | register |
 * export-key` and the server's start-up self-test, as real processes on one SQLite file, against the
 * Tesla emulator (which fetches the public key from the running server at partner registration).
 */
const KEY_PATH = '/.well-known/appspecific/com.tesla.3p.public-key.pem';

interface Run { code: number | null; out: string; err: string }

/** `npm run tesla -- <args>` as node with tsx's loader; killed after 60 s. */
function tesla(args: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'apps/server/src/tesla-cli.ts', ...args], {
      cwd: REPO_ROOT, env: { ...process.env, LOG_LEVEL: 'silent', ...env }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => { out += d; });
    child.stderr.setEncoding('utf8').on('data', (d: string) => { err += d; });
    const kill = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('exit', (code) => { clearTimeout(kill); resolve({ code, out, err }); });
  });
}

/** The self-test's lines (`<status> <check>: <message>`) by check. */
const checks = (out: string) => Object.fromEntries([...out.matchAll(/^(ok|warn|fail) +([^:\n]+): (.*)$/gm)].map((m) => [m[2]!, { status: m[1]!, message: m[3]! }]));

describe('Tesla operator setup: the CLI and the start-up self-test', () => {
  let emu: TeslaEmulator;
  let dir: string;
  let env: Record<string, string>;
  let server: ServerProcess | undefined;
  let serverLog = '';
  let port: number;

  beforeAll(async () => {
    emu = await startTeslaEmulator({
      now: () => Date.now(),
      // Tesla downloads the key from the domain's well-known path: here the running opencar server.
      fetchPublicKey: async () => {
        const r = await fetch(`http://127.0.0.1:${port}${KEY_PATH}`).catch(() => undefined);
        return r?.ok ? r.text() : undefined;
      },
    });
    port = await freePort();
    dir = mkdtempSync(join(tmpdir(), 'opencar-tesla-op-'));
    const cfg = emu.config();
    emu.state.addClient({ id: cfg.clientId, secret: cfg.clientSecret!, redirectUris: [`http://127.0.0.1:${port}/connect/oem/tesla/callback`] });
    emu.state.registrations.clear();
    env = {
      DATABASE_URL: `sqlite:${join(dir, 'opencar.db')}`, OPENCAR_SECRET_KEY: 'operator-secret-key-0123456789', PUBLIC_URL: `http://127.0.0.1:${port}`,
      OPENCAR_TESLA_CLIENT_ID: cfg.clientId, OPENCAR_TESLA_CLIENT_SECRET: cfg.clientSecret!, OPENCAR_TESLA_AUTHORIZE_URL: cfg.authorizeUrl,
      OPENCAR_TESLA_TOKEN_URL: cfg.tokenUrl, OPENCAR_TESLA_FLEET_URL_NA: emu.urls.na, OPENCAR_TESLA_FLEET_URL_EU: emu.urls.eu,
      OPENCAR_TESLA_FLEET_URL_CN: emu.urls.na, OPENCAR_TESLA_DOMAIN: 'opencar.test', OPENCAR_TESLA_PROXY_URL: emu.urls.proxy,
      OPENCAR_TESLA_PROXY_CA_FILE: PROXY_CA_FILE,
    };
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
    await emu?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  let publicPem = '';

  it('before any setup the self-test fails on the missing key pair and says which command makes it; nothing reaches Tesla', async () => {
    const r = await tesla(['self-test'], env);
    expect(r.code).toBe(1);
    const c = checks(r.out);
    expect(c['key pair']).toMatchObject({ status: 'fail' });
    expect(r.out).toContain('fix: run `npm run tesla -- keys`');
    expect(c['partner registration']).toEqual({ status: 'warn', message: 'not registered in na, eu, cn' });
    expect(c['command proxy']).toEqual({ status: 'ok', message: emu.urls.proxy });
    expect(c['proxy CA']!.status).toBe('ok');
    expect(emu.state.calls).toEqual([]);
  }, 90_000);

  it('keys: generates the pair once and prints the public key; a second run keeps it', async () => {
    const r = await tesla(['keys'], env);
    expect(r.code).toBe(0);
    expect(r.out).toContain('Generated a new key pair.');
    publicPem = /-----BEGIN PUBLIC KEY-----[\s\S]+?-----END PUBLIC KEY-----/.exec(r.out)![0];
    const again = await tesla(['keys'], env);
    expect(again.out).toContain('A key pair exists already');
    expect(again.out).toContain(publicPem);
  }, 90_000);

  it('the server serves the key at Tesla\'s well-known path and logs its self-test at start', async () => {
    server = await spawnServer({ ...env, LOG_LEVEL: 'info' }, port, { onOutput: (t) => { serverLog += t; } });
    const res = await fetch(`${server.base}${KEY_PATH}`);
    expect(res.status).toBe(200);
    expect((await res.text()).trim()).toBe(publicPem);
    const lines = serverLog.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { connector?: string; check?: string; msg: string; level: number });
    const selfTest = Object.fromEntries(lines.filter((l) => l.connector === 'tesla').map((l) => [l.check, l]));
    expect(selfTest['key pair']).toMatchObject({ level: 30, msg: `public key served at http://127.0.0.1:${port}${KEY_PATH}` });
    expect(selfTest['partner registration']).toMatchObject({ level: 40, msg: 'not registered in na, eu, cn' });
    expect(selfTest['public URL']!.level).toBe(40);
  }, 90_000);

  it('register --region eu: a partner token for the EU base, POST /api/1/partner_accounts, Tesla fetches the served key', async () => {
    const r = await tesla(['register', '--region', 'eu'], env);
    expect(r.err).toBe('');
    expect(r.out.trim()).toBe('eu: registered opencar.test');
    expect(r.code).toBe(0);
    expect(emu.state.registrations.get('emulated-client|eu')).toMatchObject({ domain: 'opencar.test', publicKey: keyHex(publicPem) });
    expect(emu.state.registrations.has('emulated-client|na')).toBe(false);
    expect(emu.state.calls.map((c) => `${c.server} ${c.method} ${c.path} ${c.status}`)).toEqual([
      'auth POST /oauth2/v3/token 200', 'eu POST /api/1/partner_accounts 200', 'eu GET /api/1/partner_accounts/public_key 200',
    ]);
    const c = checks((await tesla(['self-test'], env)).out);
    expect(c['partner registration']).toEqual({ status: 'warn', message: 'not registered in na, cn' });
    expect(c['key pair']!.status).toBe('ok');
  }, 90_000);

  it('register in every region; a region Tesla refuses is named and the exit code says so', async () => {
    emu.state.fault({ server: 'na', path: /partner_accounts$/, status: 500, body: JSON.stringify({ response: null, error: 'internal error', error_description: '' }) });
    const failed = await tesla(['register'], env);
    expect(failed.code).toBe(1);
    expect(failed.out).toMatch(/^na: not registered: Tesla refused the registration in na: 500 internal error$/m);
    expect(failed.out).toMatch(/^eu: registered opencar.test$/m);
    const ok = await tesla(['register'], env);
    expect(ok.code).toBe(0);
    const c = checks((await tesla(['self-test'], env)).out);
    expect(c['partner registration']).toEqual({ status: 'ok', message: 'registered in every region' });
  }, 180_000);

  it('export-key writes the private key of the served public key (mode 600) for tesla-http-proxy', async () => {
    const file = join(dir, 'fleet-key.pem');
    const r = await tesla(['export-key', file], env);
    expect(r.code).toBe(0);
    const pem = readFileSync(file, 'utf8');
    expect(pem).toContain('-----BEGIN EC PRIVATE KEY-----');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(createPublicKey(pem).export({ type: 'spki', format: 'pem' }).toString().trim()).toBe(publicPem);
  }, 90_000);

  it('an unknown command gets the usage and exit code 2', async () => {
    const r = await tesla(['doctor'], env);
    expect(r.code).toBe(2);
    expect(r.err).toContain('usage: npm run tesla --');
  }, 90_000);
});
