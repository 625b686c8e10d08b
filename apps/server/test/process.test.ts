import { spawn, type ChildProcess } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';

const MAIN = join(process.cwd(), 'apps/server/src/main.ts');
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as AddressInfo;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'opencar-proc-'));
  dirs.push(d);
  return d;
}

/** Starts `npm start`'s entry point and resolves once it printed its banner. */
function start(env: Record<string, string>): Promise<{ child: ChildProcess; out: () => string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN], { env: { ...process.env, LOG_LEVEL: 'info', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => { out += d; });
  child.stderr!.on('data', (d) => { out += d; });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`no banner:\n${out}`)); }, 30_000);
    child.stdout!.on('data', () => {
      if (out.includes('opencar is ready')) { clearTimeout(timer); resolve({ child, out: () => out }); }
    });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`exited ${code}:\n${out}`)); });
  });
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((r) => child.on('exit', (code) => r(code)));
}

describe('server process', () => {
  it('seeds idempotently across restarts and drains on SIGTERM', async () => {
    const dir = tempDir();
    const db = join(dir, 'opencar.db');
    const env = {
      PORT: String(await freePort()), DATABASE_URL: `sqlite:${db}`, OPENCAR_DATA_DIR: dir,
      OPENCAR_SEED_CLIENT_ID: 'proc-client', OPENCAR_SEED_CLIENT_SECRET: 'proc-secret', OPENCAR_SEED_AMT: 'proc-amt',
      OPENCAR_SEED_REDIRECT_URIS: 'https://app.example/cb',
    };
    for (let i = 0; i < 3; i++) {
      const { child, out } = await start(env);
      const res = await fetch(`http://127.0.0.1:${env.PORT}/healthz`);
      expect(res.status).toBe(200);
      expect(out()).toContain('proc-client');
      child.kill('SIGTERM');
      expect(await exited(child)).toBe(0);
      expect(out()).toContain('stopped cleanly');
    }
    const raw = new Database(db, { readonly: true });
    expect(raw.prepare("select count(*) n from apps where id = 'proc-client'").get()).toEqual({ n: 1 });
    expect(raw.prepare('select count(*) n from apps').get()).toEqual({ n: 1 });
    raw.close();
  }, 120_000);

  it('generates and keeps a secret key in the data dir when none is configured', async () => {
    const dir = tempDir();
    const env = { PORT: String(await freePort()), DATABASE_URL: `sqlite:${join(dir, 'db.sqlite')}`, OPENCAR_DATA_DIR: dir };
    const { child, out } = await start(env);
    expect(out()).toContain('OPENCAR_SECRET_KEY is not set');
    expect(out()).toMatch(/client secret\s+\S+/);
    child.kill('SIGTERM');
    expect(await exited(child)).toBe(0);
  }, 60_000);

  it('refuses to start with an invalid variable and names it', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN], { env: { ...process.env, PORT: 'eighty' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr!.on('data', (d) => { err += d; });
    expect(await exited(child)).toBe(1);
    expect(err).toContain('PORT');
  }, 60_000);

  it('serves HTTPS with TLS 1.2+ when TLS_CERT_FILE and TLS_KEY_FILE are set', async () => {
    const dir = tempDir();
    const cert = join(dir, 'cert.pem');
    const key = join(dir, 'key.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1'], { stdio: 'ignore' });
    const port = await freePort();
    const { child, out } = await start({ PORT: String(port), DATABASE_URL: 'sqlite::memory:', OPENCAR_DATA_DIR: dir, TLS_CERT_FILE: cert, TLS_KEY_FILE: key });
    expect(out()).toContain(`https://127.0.0.1:${port}`);
    const get = (path: string) => new Promise<{ line: string; headers: import('node:http').IncomingHttpHeaders }>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path, rejectUnauthorized: false }, (res) => {
        resolve({ line: `${res.statusCode} ${(res.socket as import('node:tls').TLSSocket).getProtocol()}`, headers: res.headers });
        res.resume();
      });
      req.on('error', reject);
      req.end();
    });
    const health = await get('/healthz');
    expect(health.line).toMatch(/^200 TLSv1\.[23]$/);
    expect(health.headers['strict-transport-security']).toBe('max-age=31536000');
    const page = await get('/dashboard/signin?lang=de');
    expect(page.headers['strict-transport-security']).toBe('max-age=31536000');
    for (const cookie of page.headers['set-cookie'] ?? []) expect(cookie).toMatch(/; Secure/);
    expect((page.headers['set-cookie'] ?? []).some((c) => c.startsWith('oc_lang=de'))).toBe(true);
    const old = await new Promise<string>((resolve) => {
      const req = request({ host: '127.0.0.1', port, path: '/healthz', rejectUnauthorized: false, maxVersion: 'TLSv1.1', minVersion: 'TLSv1' }, () => resolve('accepted'));
      req.on('error', () => resolve('refused'));
      req.end();
    });
    expect(old).toBe('refused');
    child.kill('SIGTERM');
    expect(await exited(child)).toBe(0);
  }, 60_000);
});
