/**
 * Webhook delivery benchmark (`npx tsx bench/webhooks.ts`): queues N charging events for M
 * subscribed vehicles through the outbox sink (one transaction per event, as the simulator writes
 * them), then lets the deliverer post them, signed, to a receiver on 127.0.0.1 that checks every
 * signature with the official SDK's verifyPayload. Prints signed deliveries per second.
 *
 * Options (env): BENCH_EVENTS (2000), BENCH_VEHICLES (50), BENCH_DATABASE_URL (sqlite in a temp dir).
 */
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { encryptSecret, sha256, systemClock } from '@opencar/core';
import { AccountsRepo, openStorage } from '@opencar/storage';
import { WebhookService } from '@opencar/webhooks';
import { connectForTest } from '@opencar/oauth';

const sdk = createRequire(import.meta.url)('smartcar') as { verifyPayload(amt: string, sig: string, body: unknown): boolean; hashChallenge(amt: string, c: string): string };
const EVENTS = Number(process.env.BENCH_EVENTS ?? 2000);
const VEHICLES = Number(process.env.BENCH_VEHICLES ?? 50);
const SECRET = 'bench-secret-key-0123456789';
const AMT = 'bench-amt-0123456789';

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'opencar-bench-wh-'));
  const storage = await openStorage(process.env.BENCH_DATABASE_URL ?? `sqlite:${join(dir, 'bench.db')}`);
  let verified = 0;
  let bad = 0;
  const rx = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { eventName: string; payload: { challenge?: string } };
      if (sdk.verifyPayload(AMT, String(req.headers['sc-signature']), body)) verified++; else bad++;
      if (body.eventName === 'verify') { res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ challenge: sdk.hashChallenge(AMT, body.payload.challenge!) })); return; }
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => rx.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(rx.address() as { port: number }).port}/hook`;
  const svc = new WebhookService({ storage, clock: systemClock, log: pino({ level: 'silent' }), secretKey: SECRET, publicUrl: 'http://127.0.0.1', pollMs: 5, targets: { allowPrivate: true } });
  try {
    const accounts = new AccountsRepo(storage.db);
    await accounts.createDeveloper({ id: 'bench-dev', email: 'bench@example.com', password_hash: null, name: 'bench', tos_version: null, tos_accepted_at: null, plan: 'enterprise', plan_limits: null, status: 'active', created_at: 0 });
    await accounts.createApp({ id: 'bench-app', developerId: 'bench-dev', name: 'bench', logoUrl: null, clientSecretHash: sha256('x'), amtHash: sha256(AMT), amtEnc: encryptSecret(SECRET, AMT), redirectUris: ['https://a.example/cb'], defaultScope: [], mode: 'simulated', simLatency: null }, 0);
    const hook = await svc.create('bench-app', { url, type: 'eventBased' });
    if (!hook.verification.verified) throw new Error(`verify failed: ${hook.verification.error}`);
    // Deliveries go only to vehicles connected to the app: connect each one, then subscribe it.
    await connectForTest(storage, systemClock, { appId: 'bench-app', userId: 'bench-owner', vehicleIds: Array.from({ length: VEHICLES }, (_, v) => `veh-${v}`), permissions: ['read_charge'], mode: 'simulated' });
    for (let v = 0; v < VEHICLES; v++) await svc.subscribe('bench-app', hook.id, `veh-${v}`);

    const sink = svc.eventSink();
    const q0 = performance.now();
    for (let i = 0; i < EVENTS; i++) {
      const e = { eventId: `evt-${i}`, vehicleId: `veh-${i % VEHICLES}`, eventType: 'CHARGING_STARTED' as const, at: Date.now() };
      await storage.db.transaction().execute((trx) => sink(trx, [e]));
    }
    const queueMs = performance.now() - q0;

    verified = 0;
    const t0 = performance.now();
    svc.deliverer.start();
    for (let i = 0; i < 60_000 && verified + bad < EVENTS; i += 10) await new Promise((r) => setTimeout(r, 10));
    const ms = performance.now() - t0;
    const counts = await svc.repo.countByStatus();
    process.stdout.write([
      `webhooks: ${EVENTS} charging events, ${VEHICLES} vehicles, ${storage.dialect}`,
      `outbox writes     ${(EVENTS / (queueMs / 1000)).toFixed(0).padStart(7)} events/s (one transaction each)`,
      `signed deliveries ${(verified / (ms / 1000)).toFixed(0).padStart(7)} deliveries/s to a local receiver (${verified} verified with smartcar.verifyPayload, ${bad} bad signatures)`,
      `outbox after run  ${JSON.stringify(counts)}`,
      '',
    ].join('\n'));
    if (bad > 0 || verified < EVENTS) process.exitCode = 1;
  } finally {
    await svc.close();
    await new Promise<void>((r) => rx.close(() => r()));
    await storage.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => { process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`); process.exit(1); });
