import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { systemClock } from '@opencar/core';
import { MeteringRepo, WebhooksRepo, openStorage, type Storage } from '@opencar/storage';
import { freePort, spawnServer, type ServerProcess } from '@opencar/e2e';
import { connectVehicle } from '../../e2e/test/sdk-connect.js';
import { emit, event, service } from './fixtures.js';
import { Receiver } from './receiver.js';

const CLIENT = { id: 'crash-client-0001', secret: 'crash-client-secret-0123456789', amt: 'crash-amt-0123456789abcdef', redirect: 'https://app.example/callback' };
const SECRET = 'crash-test-secret-key-0123';

/** The real server process on the test's SQLite file, as `npm start` runs it. */
const startServer = (dir: string, port: number) => spawnServer({
  DATABASE_URL: `sqlite:${join(dir, 'opencar.db')}`, OPENCAR_DATA_DIR: dir, OPENCAR_SECRET_KEY: SECRET, OPENCAR_WEBHOOK_TIMEOUT_MS: '1000',
  OPENCAR_SEED_CLIENT_ID: CLIENT.id, OPENCAR_SEED_CLIENT_SECRET: CLIENT.secret, OPENCAR_SEED_REDIRECT_URIS: CLIENT.redirect, OPENCAR_SEED_AMT: CLIENT.amt,
}, port);

describe('crash safety: SIGKILL with requests and deliveries in flight', () => {
  const dir = mkdtempSync(join(tmpdir(), 'opencar-crash-'));
  const servers: ServerProcess[] = [];
  let storage: Storage | undefined;
  const rx = new Receiver(CLIENT.amt);
  afterAll(async () => {
    for (const s of servers) await s.stop('SIGKILL');
    await storage?.close();
    await rx.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('loses no acknowledged request from the ledger and no pending delivery', async () => {
    await rx.start();
    const port = await freePort();
    let server = await startServer(dir, port);
    servers.push(server);
    const base = server.base;

    // A connected vehicle, through Connect over HTTP and the token endpoint.
    const { token, vehicleId } = await connectVehicle(base, CLIENT, { make: 'TESLA', email: 'crash@example.com' }, ['read_odometer', 'read_vehicle_info']);
    const bearer = { authorization: `Bearer ${token}` };

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
    await server.stop('SIGKILL');
    stop = true;
    await Promise.all(workers);
    // The process really died: nothing answers on its port any more.
    expect(await fetch(`http://127.0.0.1:${port}/healthz`).then(() => 'up', () => 'down')).toBe('down');
    expect(acknowledged.length).toBeGreaterThan(50);
    expect(rx.events().length).toBeGreaterThan(0); // a delivery was in flight at the kill

    // Restart on the same database: the ledger holds every acknowledged request, the outbox finishes.
    rx.mode = 'ok';
    server = await startServer(dir, port);
    servers.push(server);
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
    await server.stop();
  }, 120_000);
});
