import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import smartcar from 'smartcar';
import { spawnServer } from '@opencar/e2e';
import { connectVehicle } from '../../../packages/e2e/test/sdk-connect.js';
import { cli } from './cli-helpers.js';
import { EXIT } from '../src/cli/exit-codes.js';

const PG = process.env.TEST_DATABASE_URL;
const hasPgDump = (() => { try { execFileSync('pg_dump', ['--version'], { stdio: 'ignore' }); return true; } catch { return false; } })();
const KEY = 'backup-test-secret-key-0123456789';
const CLIENT = { id: 'backup-client', secret: 'backup-client-secret-0123456789', redirect: 'https://app.example/cb', amt: 'backup-amt-0123' };
const dirs: string[] = [];
const dbs: string[] = [];
afterAll(async () => {
  dirs.forEach((d) => rmSync(d, { recursive: true, force: true }));
  if (PG && dbs.length) {
    const c = new pg.Client({ connectionString: PG });
    await c.connect();
    for (const db of dbs) await c.query(`drop database if exists ${db} with (force)`);
    await c.end();
  }
});
const tempDir = () => { const d = mkdtempSync(join(tmpdir(), 'opencar-backup-')); dirs.push(d); return d; };
const seedEnv = { OPENCAR_SEED_CLIENT_ID: CLIENT.id, OPENCAR_SEED_CLIENT_SECRET: CLIENT.secret, OPENCAR_SEED_AMT: CLIENT.amt, OPENCAR_SEED_REDIRECT_URIS: CLIENT.redirect };

interface Target { env: Record<string, string>; url: string }
const sqliteTarget = (): Target => { const dir = tempDir(); const url = `sqlite:${join(dir, 'opencar.db')}`; return { url, env: { DATABASE_URL: url, OPENCAR_DATA_DIR: dir } }; };
const pgTarget = (): Target => {
  const u = new URL(PG!);
  u.pathname = `/opencar_backup_${process.pid}_${dbs.length}_${Date.now().toString(36)}`;
  dbs.push(u.pathname.slice(1));
  return { url: u.toString(), env: { DATABASE_URL: u.toString(), OPENCAR_DATA_DIR: tempDir() } };
};

async function sdkVin(base: string, vehicleId: string, token: string): Promise<string> {
  for (const k of ['SMARTCAR_API_ORIGIN', 'SMARTCAR_AUTH_ORIGIN', 'SMARTCAR_MANAGEMENT_API_ORIGIN', 'SMARTCAR_API_V3_ORIGIN']) process.env[k] = base;
  return (await new smartcar.Vehicle(vehicleId, token).vin()).vin as string;
}

const counts = async (base: string) => {
  const auth = { authorization: `Basic ${Buffer.from(`default:${CLIENT.amt}`).toString('base64')}` };
  const hooks = await fetch(`${base}/v2.0/management/webhooks`, { headers: auth }).then((r) => r.json()) as { webhooks: { id: string }[] };
  return { webhooks: hooks.webhooks.map((w) => w.id) };
};

const dialects: { name: string; target: () => Target; skip: boolean }[] = [
  { name: 'SQLite (through the running server)', target: sqliteTarget, skip: false },
  { name: 'PostgreSQL (pg_dump)', target: pgTarget, skip: !PG || !hasPgDump },
];

describe.each(dialects)('backup → restore → the official SDK reads with the old tokens: $name', ({ target, skip }) => {
  it.skipIf(skip)('restores apps, grants, tokens, ledger and webhooks; refuses another key, a missing key and a non-empty target', async () => {
    const a = target();
    const serverA = await spawnServer({ ...a.env, ...seedEnv, OPENCAR_SECRET_KEY: KEY });
    let vehicleId: string;
    let token: string;
    let vin: string;
    let before: { webhooks: string[] };
    let ledgerAtBackup: number;
    const cliA = { ...a.env, OPENCAR_SECRET_KEY: KEY, PORT: String(serverA.port), HOST: '127.0.0.1' };
    const file = join(tempDir(), 'opencar.backup');
    try {
      ({ vehicleId, token } = await connectVehicle(serverA.base, CLIENT, { make: 'TESLA', email: 'owner@backup.test' }, ['read_vin', 'read_odometer']));
      vin = await sdkVin(serverA.base, vehicleId, token);
      const created = await fetch(`${serverA.base}/v2.0/management/webhooks`, {
        method: 'POST', headers: { authorization: `Basic ${Buffer.from(`default:${CLIENT.amt}`).toString('base64')}`, 'content-type': 'application/json' },
        body: JSON.stringify({ url: 'http://127.0.0.1:9/hook', type: 'eventBased' }),
      });
      expect(created.status).toBe(201);
      before = await counts(serverA.base);
      const statusA = JSON.parse((await cli(cliA, '--json', 'status')).out) as { requestsToday: number };
      ledgerAtBackup = statusA.requestsToday;
      expect(ledgerAtBackup).toBeGreaterThanOrEqual(2);

      const made = await cli(cliA, 'backup', file);
      expect(made.code, made.err).toBe(0);
      expect(made.out).toContain(`backup written: ${file}`);
      // A server holds a SQLite file: the CLI asks it for the online backup.
      if (a.url.startsWith('sqlite:')) expect(made.out).toContain('made by the running server');
      expect(existsSync(`${file}.manifest.json`)).toBe(true);
      // Nothing secret in the clear: not the client secret, the AMT, the access token or the platform key.
      const bytes = readFileSync(file).toString('latin1') + readFileSync(`${file}.manifest.json`, 'utf8');
      for (const secret of [CLIENT.secret, CLIENT.amt, token, KEY]) expect(bytes.includes(secret)).toBe(false);
      expect((await cli(cliA, 'backup', file)).code).toBe(EXIT.conflict);
    } finally {
      await serverA.stop();
    }

    const b = target();
    const wrongKey = await cli({ ...b.env, OPENCAR_SECRET_KEY: 'some-other-key-0123456789' }, 'restore', file);
    expect(wrongKey.code).toBe(EXIT.conflict);
    expect(wrongKey.err.trim()).toBe('opencar: this backup was made under another OPENCAR_SECRET_KEY: set OPENCAR_SECRET_KEY to the key of the server that made it (its sealed tokens and secrets cannot be opened with any other), then restore again');
    const noKey = await cli(b.env, 'restore', file);
    expect(noKey.code).toBe(EXIT.usage);
    expect(noKey.err).toContain('restore needs the OPENCAR_SECRET_KEY of the server that made the backup');

    const restored = await cli({ ...b.env, OPENCAR_SECRET_KEY: KEY }, '--json', 'restore', file);
    expect(restored.code, restored.err).toBe(0);
    const summary = JSON.parse(restored.out) as { counts: Record<string, number> };
    expect(summary.counts).toMatchObject({ developers: 1, apps: 1, oauth_grants: 1, webhooks: 1 });
    expect(summary.counts.ledger).toBeGreaterThanOrEqual(ledgerAtBackup);
    expect((await cli({ ...b.env, OPENCAR_SECRET_KEY: KEY }, 'restore', file)).code).toBe(EXIT.conflict);

    const serverB = await spawnServer({ ...b.env, ...seedEnv, OPENCAR_SECRET_KEY: KEY });
    try {
      expect(await sdkVin(serverB.base, vehicleId, token)).toBe(vin);
      expect(await counts(serverB.base)).toEqual(before);
      const refreshed = await fetch(`${serverB.base}/v2.0/vehicles/${vehicleId}/odometer`, { headers: { authorization: `Bearer ${token}` } });
      expect(refreshed.status).toBe(200);
    } finally {
      await serverB.stop();
    }
  }, 180_000);
});
