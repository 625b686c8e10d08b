import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { systemClock } from '@opencar/core';
import { MeteringRepo, WebhooksRepo, openStorage, type Storage } from '@opencar/storage';
import { connectOverHttp } from '../../e2e/test/sdk-connect.js';
import { emit, event, service } from './fixtures.js';
import { Receiver } from './receiver.js';

const CLIENT = { id: 'crash-client-0001', secret: 'crash-client-secret-0123456789', amt: 'crash-amt-0123456789abcdef', redirect: 'https://app.example/callback' };
const SECRET = 'crash-test-secret-key-0123';

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** The real server process (`tsx apps/server/src/main.ts`), as `npm start` runs it. */
async function startServer(dir: string, port: number): Promise<ChildProcess> {
  // node itself with tsx's loader (not the tsx wrapper): SIGKILL must reach the server process.
  const child = spawn(process.execPath, ['--import', 'tsx', 'apps/server/src/main.ts'], {
    cwd: join(import.meta.dirname, '../../..'),
    env: {
      ...process.env, PORT: String(port), HOST: '127.0.0.1', DATABASE_URL: `sqlite:${join(dir, 'opencar.db')}`, OPENCAR_DATA_DIR: dir,
      OPENCAR_SECRET_KEY: SECRET, LOG_LEVEL: 'silent', OPENCAR_WEBHOOK_TIMEOUT_MS: '1000',
      OPENCAR_SEED_CLIENT_ID: CLIENT.id, OPENCAR_SEED_CLIENT_SECRET: CLIENT.secret, OPENCAR_SEED_REDIRECT_URIS: CLIENT.redirect, OPENCAR_SEED_AMT: CLIENT.amt,
    },
    stdio: 'ignore',
  });
  for (let i = 0; i < 300; i++) {
    const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok, () => false);
    if (ok) return child;
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('server did not start within 30 s');
}

const killed = (c: ChildProcess) => new Promise<void>((r) => { if (c.exitCode !== null || c.signalCode) r(); else c.once('exit', () => r()); });

describe('crash safety: SIGKILL with requests and deliveries in flight', () => {
  const dir = mkdtempSync(join(tmpdir(), 'opencar-crash-'));
  const children: ChildProcess[] = [];
  let storage: Storage | undefined;
  const rx = new Receiver(CLIENT.amt);
  afterAll(async () => {
    for (const c of children) if (c.exitCode === null && !c.signalCode) { c.kill('SIGKILL'); await killed(c); }
    await storage?.close();
    await rx.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('loses no acknowledged request from the ledger and no pending delivery', async () => {
    await rx.start();
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    let server = await startServer(dir, port);
    children.push(server);

    // A connected vehicle, through Connect over HTTP and the token endpoint.
    const authUrl = `${base}/oauth/authorize?response_type=code&client_id=${CLIENT.id}&redirect_uri=${encodeURIComponent(CLIENT.redirect)}&scope=read_odometer%20read_vehicle_info&mode=simulated`;
    const code = await connectOverHttp(authUrl, { make: 'TESLA', email: 'crash@example.com', redirectUri: CLIENT.redirect });
    const tok = await fetch(`${base}/oauth/token`, {
      method: 'POST', headers: { authorization: `Basic ${Buffer.from(`${CLIENT.id}:${CLIENT.secret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: CLIENT.redirect }).toString(),
    }).then((r) => r.json()) as { access_token: string };
    const bearer = { authorization: `Bearer ${tok.access_token}` };
    const { vehicles } = await fetch(`${base}/v2.0/vehicles`, { headers: bearer }).then((r) => r.json()) as { vehicles: string[] };
    const vehicleId = vehicles[0]!;

    // A verified event webhook the vehicle subscribes to through the v2 endpoint.
    const mgmt = { authorization: `Basic ${Buffer.from(`default:${CLIENT.amt}`).toString('base64')}`, 'content-type': 'application/json' };
    const hook = await fetch(`${base}/v2.0/management/webhooks`, { method: 'POST', headers: mgmt, body: JSON.stringify({ url: rx.url, type: 'eventBased' }) }).then((r) => r.json()) as { id: string; status: string };
    expect(hook.status).toBe('active');
    expect((await fetch(`${base}/v2.0/vehicles/${vehicleId}/webhooks/${hook.id}`, { method: 'POST', headers: bearer })).status).toBe(200);

    // Events committed while the receiver hangs: deliveries are leased and in flight when the server dies.
    storage = await openStorage(`sqlite:${join(dir, 'opencar.db')}`, { migrate: false });
    const producer = service(storage, systemClock, { secretKey: SECRET });
    const events = Array.from({ length: 20 }, (_, i) => event(vehicleId, Date.now() + i, 'CHARGING_STARTED'));
    rx.mode = 'hang';
    for (const e of events) await emit(storage, producer, [e]);

    const acknowledged: string[] = [];
    let stop = false;
    const fire = async () => {
      while (!stop) {
        const res = await fetch(`${base}/v2.0/vehicles/${vehicleId}/odometer`, { headers: bearer }).catch(() => null);
        if (!res) return;
        if (res.status === 200) acknowledged.push(res.headers.get('sc-request-id')!);
        await res.arrayBuffer().catch(() => undefined);
      }
    };
    const workers = Array.from({ length: 16 }, () => fire());
    for (let i = 0; i < 200 && acknowledged.length < 300; i++) await new Promise((r) => setTimeout(r, 25));
    server.kill('SIGKILL');
    await killed(server);
    stop = true;
    await Promise.all(workers);
    // The process really died: nothing answers on its port any more.
    expect(await fetch(`http://127.0.0.1:${port}/healthz`).then(() => 'up', () => 'down')).toBe('down');
    expect(acknowledged.length).toBeGreaterThan(50);
    expect(rx.events().length).toBeGreaterThan(0); // a delivery was in flight at the kill

    // Restart on the same database: the ledger holds every acknowledged request, the outbox finishes.
    rx.mode = 'ok';
    server = await startServer(dir, port);
    children.push(server);
    const metering = new MeteringRepo(storage.db, 'sqlite');
    const missing: string[] = [];
    for (const id of acknowledged) if (!(await metering.hasLedgerEntry(id))) missing.push(id);
    expect(missing).toEqual([]);

    const repo = new WebhooksRepo(storage.db);
    for (let i = 0; i < 300; i++) {
      const c = await repo.countByStatus();
      if (!c.pending) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(await repo.countByStatus()).toEqual({ delivered: events.length });
    const seen = [...new Set(rx.events().map((e) => e.eventId))];
    expect(seen).toEqual(events.map((e) => e.eventId)); // all of them, in order
    expect(rx.received.every((r) => r.verified)).toBe(true);
    server.kill('SIGTERM');
    await killed(server);
  }, 120_000);
});
