import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import semver from 'semver';
import { ConfigError, loadConfig, withEnvFile } from '@opencar/core';
import { freePort } from '@opencar/e2e';

const ROOT = join(import.meta.dirname, '../../..');
const MAIN = join(ROOT, 'apps/server/src/main.ts');
const TSX = pathToFileURL(join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href;
const PG = process.env.TEST_DATABASE_URL;
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'opencar-startup-'));
  dirs.push(d);
  return d;
}

/** Environment without any opencar variable of the test runner's own. */
function cleanEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v !== undefined && !/^(PORT|HOST|DATABASE_URL|PUBLIC_URL|LOG_|OPENCAR_|TLS_)/.test(k)) env[k] = v;
  }
  return { ...env, ...extra };
}

interface Run { code: number | null; out: string; err: string; port?: number }

/**
 * Runs the server entry point in `cwd`; stops it with SIGTERM once it logged its banner (then
 * `port` is the port it listened on) or returns when it exits by itself. 60 s at most.
 */
function run(cwd: string, env: Record<string, string>): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', TSX, MAIN], { cwd, env: cleanEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let port: number | undefined;
    child.stdout.on('data', (d) => {
      out += d;
      const m = /opencar is ready[\s\S]*?http:\/\/127\.0\.0\.1:(\d+)/.exec(out);
      if (m && port === undefined) { port = Number(m[1]); child.kill('SIGTERM'); }
    });
    child.stderr.on('data', (d) => { err += d; });
    const limit = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`no exit within 60 s:\n${out}\n${err}`)); }, 60_000);
    child.on('exit', (code) => { clearTimeout(limit); resolve({ code, out, err, port }); });
  });
}

const KEY = 'startup-test-secret-0123456789';

describe('.env in the working directory', () => {
  it('is read under the process environment, which wins', () => {
    const dir = tempDir();
    writeFileSync(join(dir, '.env'), '# comment\nPORT=4100\nLOG_LEVEL=warn\nOPENCAR_SEED_REDIRECT_URIS="https://a.example/cb https://b.example/cb"\n');
    const env = withEnvFile({ LOG_LEVEL: 'debug', HOME: '/h' }, dir);
    expect(env).toMatchObject({ PORT: '4100', LOG_LEVEL: 'debug', HOME: '/h', OPENCAR_SEED_REDIRECT_URIS: 'https://a.example/cb https://b.example/cb' });
    expect(withEnvFile({ A: '1' }, tempDir())).toEqual({ A: '1' });
  });

  it('a server started in the directory listens on the .env PORT; PORT in the environment wins', async () => {
    const dir = tempDir();
    const [filePort, envPort] = [await freePort(), await freePort()];
    writeFileSync(join(dir, '.env'), `PORT=${filePort}\nDATABASE_URL=sqlite::memory:\nOPENCAR_SECRET_KEY=${KEY}\nLOG_FORMAT=json\n`);
    const fromFile = await run(dir, {});
    expect(fromFile.port).toBe(filePort);
    expect(fromFile.code).toBe(0);
    const fromEnv = await run(dir, { PORT: String(envPort) });
    expect(fromEnv.port).toBe(envPort);
  }, 120_000);
});

describe('start-up errors: one line naming the fix, no stack trace', () => {
  const oneLine = (r: Run) => {
    expect(r.code).toBe(1);
    const lines = r.err.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(r.err).not.toMatch(/\n\s+at /);
    return lines[0]!;
  };

  it('every invalid variable is named, from the environment or from .env', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, '.env'), 'OPENCAR_SECRET_KEY=short\n');
    expect(oneLine(await run(dir, { DATABASE_URL: 'sqlite::memory:' }))).toBe('opencar: invalid configuration: OPENCAR_SECRET_KEY: must be at least 16 characters');
    expect(oneLine(await run(tempDir(), { PORT: 'eighty' }))).toBe('opencar: invalid configuration: PORT: must be a whole number, got "eighty"');
    expect(oneLine(await run(tempDir(), { DATABASE_URL: 'mysql://x' }))).toContain('invalid configuration: DATABASE_URL: must be sqlite:<path>');
    expect(oneLine(await run(tempDir(), { LOG_FORMAT: 'xml' }))).toBe('opencar: invalid configuration: LOG_FORMAT: must be one of auto, pretty, json, got "xml"');
  }, 120_000);

  it('unusable files and hosts name the variable to change', async () => {
    const dir = tempDir();
    const file = join(dir, 'a-file');
    writeFileSync(file, 'x');
    const base = { DATABASE_URL: 'sqlite::memory:', PORT: String(await freePort()) };
    expect(oneLine(await run(tempDir(), { ...base, OPENCAR_DATA_DIR: join(file, 'data') }))).toMatch(new RegExp(`^opencar: cannot use ${file}/data\\S* \\(ENOTDIR\\); OPENCAR_DATA_DIR must be a directory this process may write`));
    expect(oneLine(await run(tempDir(), { ...base, OPENCAR_SECRET_KEY: KEY, DATABASE_URL: `sqlite:${join(file, 'db.sqlite')}` }))).toMatch(/DATABASE_URL must name a file in a directory this process may write$/);
    expect(oneLine(await run(tempDir(), { ...base, OPENCAR_SECRET_KEY: KEY, TLS_CERT_FILE: join(dir, 'missing.pem'), TLS_KEY_FILE: file }))).toBe(`opencar: invalid configuration: TLS_CERT_FILE: cannot read ${join(dir, 'missing.pem')} (ENOENT)`);
    expect(oneLine(await run(tempDir(), { ...base, OPENCAR_SECRET_KEY: KEY, HOST: 'no-such-host.invalid' }))).toBe('opencar: HOST no-such-host.invalid does not resolve to an address; set HOST to an address of this machine (or 0.0.0.0)');
  }, 120_000);

  it('a port in use names the port and PORT', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as { port: number }).port;
    try {
      const line = oneLine(await run(tempDir(), { PORT: String(port), DATABASE_URL: 'sqlite::memory:', OPENCAR_SECRET_KEY: KEY }));
      expect(line).toBe(`opencar: port ${port} on 127.0.0.1 is already in use by another process; stop it or set PORT to a free port`);
    } finally {
      await new Promise<void>((r) => blocker.close(() => r()));
    }
  }, 60_000);

  it('an unreachable PostgreSQL server names DATABASE_URL', async () => {
    const port = await freePort();
    const line = oneLine(await run(tempDir(), { DATABASE_URL: `postgres://opencar@127.0.0.1:${port}/opencar`, OPENCAR_SECRET_KEY: KEY }));
    expect(line).toBe(`opencar: cannot reach PostgreSQL at 127.0.0.1:${port} (ECONNREFUSED); start it or correct the host and port in DATABASE_URL`);
  }, 60_000);
});

describe.skipIf(!PG)('PostgreSQL database that does not exist (TEST_DATABASE_URL)', () => {
  const admin = () => new pg.Client({ connectionString: PG });
  const suffix = `${process.pid}_${Date.now().toString(36)}`;
  const url = (user: string, db: string) => { const u = new URL(PG!); u.username = user; u.password = ''; u.pathname = `/${db}`; return u.toString(); };

  it('is created when the role may create databases, and the server starts on it', async () => {
    const db = `opencar_created_${suffix}`;
    const c = admin();
    await c.connect();
    try {
      const r = await run(tempDir(), { DATABASE_URL: url(new URL(PG!).username || 'postgres', db), OPENCAR_SECRET_KEY: KEY, PORT: String(await freePort()), LOG_FORMAT: 'json' });
      expect(r.err).toBe('');
      expect(r.port).toBeGreaterThan(0);
      expect(r.out).toContain('created the PostgreSQL database');
      expect((await c.query('select 1 from pg_database where datname = $1', [db])).rowCount).toBe(1);
    } finally {
      await c.query(`drop database if exists ${db} with (force)`);
      await c.end();
    }
  }, 120_000);

  it('otherwise the message gives the createdb command', async () => {
    const role = `opencar_nocreate_${suffix}`;
    const db = `opencar_missing_${suffix}`;
    const c = admin();
    await c.connect();
    try {
      await c.query(`create role ${role} login nocreatedb`);
      const r = await run(tempDir(), { DATABASE_URL: url(role, db), OPENCAR_SECRET_KEY: KEY });
      const line = oneLineOf(r);
      const u = new URL(PG!);
      expect(line).toContain(`the PostgreSQL database "${db}" does not exist and role "${role}" may not create it`);
      expect(line).toContain(`create it with: createdb -h ${u.hostname}`);
      expect(line).toMatch(new RegExp(`-O ${role} ${db}$`));
    } finally {
      await c.query(`drop role if exists ${role}`);
      await c.end();
    }
  }, 60_000);

  function oneLineOf(r: Run): string {
    expect(r.code).toBe(1);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    return r.err.trim();
  }
});

describe('logs', () => {
  const base = async () => ({ DATABASE_URL: 'sqlite::memory:', OPENCAR_SECRET_KEY: KEY, PORT: String(await freePort()) });

  it('LOG_FORMAT=json (and auto without a terminal): every stdout line is one JSON object, the banner included', async () => {
    for (const format of ['json', 'auto']) {
      const r = await run(tempDir(), { ...(await base()), LOG_FORMAT: format });
      expect(r.code, `${r.out}\n${r.err}`).toBe(0);
      const lines = r.out.trim().split('\n');
      expect(lines.length).toBeGreaterThan(2);
      const entries = lines.map((l) => JSON.parse(l) as { msg: string; level: number });
      expect(entries.some((e) => e.msg.startsWith('opencar is ready') && e.msg.includes('client secret'))).toBe(true);
      expect(entries.at(-1)!.msg).toBe('stopped cleanly');
    }
  }, 120_000);

  it('LOG_FORMAT=pretty: human lines only, the banner among them', async () => {
    const r = await run(tempDir(), { ...(await base()), LOG_FORMAT: 'pretty' });
    const lines = r.out.trim().split('\n');
    expect(lines.every((l) => !l.startsWith('{'))).toBe(true);
    expect(r.out).toMatch(/INFO.*opencar is ready/);
    expect(r.out).toMatch(/client secret\s+\S+/);
    expect(r.out).toContain('stopped cleanly');
  }, 60_000);
});

describe('dependencies fit the supported Node versions', () => {
  it('every installed package accepts the lowest Node version of package.json engines', () => {
    const root = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { engines: { node: string } };
    const lowest = semver.minVersion(root.engines.node)!.version;
    const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { engines?: { node?: string } | string[] }> };
    const misfits = Object.entries(lock.packages)
      .filter(([, p]) => p.engines && !Array.isArray(p.engines) && p.engines.node && !semver.satisfies(lowest, p.engines.node))
      .map(([name, p]) => `${name} ${(p.engines as { node: string }).node}`);
    expect(misfits).toEqual([]);
    expect(semver.satisfies(process.version, root.engines.node)).toBe(true);
  });

  it('loadConfig reports a ConfigError naming the variable', () => {
    expect(() => loadConfig({ OPENCAR_SHUTDOWN_GRACE_SECONDS: '-1' })).toThrow(ConfigError);
  });
});
