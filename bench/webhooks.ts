/**
 * Webhook delivery benchmark (`npx tsx bench/webhooks.ts`): queues N charging events for M
 * subscribed vehicles through the outbox sink, then lets the deliverer post them, signed, to a
 * receiver on 127.0.0.1 that checks every signature with the official SDK's verifyPayload. The
 * receiver runs in a child process pinned to core 0 and this process on core 1 (bench/webhook-receiver.ts),
 * so sender and receiver do not share a core, as with a receiver on another machine.
 *
 * - Outbox writes, side by side: the first BENCH_SINGLE events one transaction each (as a vehicle
 *   backend that commits every event alone), the rest in transactions of BENCH_OUTBOX_BATCH events
 *   (as a backend that commits many events at once).
 * - Signed deliveries per second until every event is verified and recorded delivered, and, as a
 *   reference in the same run, bare keep-alive POSTs of the same bodies to the same receiver at the
 *   same concurrency with the same HTTP client (undici; no outbox): the delivery engine's figure ÷
 *   that ceiling.
 * - API v3: trigger evaluation of an integration over the subscribed vehicles (observations per
 *   second, events queued), and payload 4.0 deliveries (finalised and signed per attempt, checked
 *   over the raw bytes).
 *
 * - Warm-up, before anything is timed: BENCH_WARMUP events go through the outbox and the deliverer
 *   (rounds until idle) and as many bare POSTs through the reference client, so both timed phases
 *   run compiled code over open keep-alive connections (without it, the deliverer, measured first,
 *   pays the JIT and the connections for both).
 *
 * Options (env): BENCH_EVENTS (10000; 2,000 timed only about 0.4 s of deliveries, which measured 15–35 % below the steady rate), BENCH_VEHICLES (50), BENCH_SINGLE (500), BENCH_OUTBOX_BATCH (500), BENCH_WARMUP (1000),
 * BENCH_V3_ROUNDS (10 observations of every vehicle), BENCH_PROFILE (a path prefix: CPU profiles of the timed signed deliveries
 * and of the timed bare POSTs alone, `<prefix>.deliveries.cpuprofile` and `<prefix>.bare.cpuprofile`, as `node --cpu-prof` writes them),
 * BENCH_RECEIVER=inline (the receiver in this process, sharing its event loop with the sender), BENCH_NO_TASKSET=1 (no pinning),
 * BENCH_DATABASE_URL (default SQLite in a temp dir;
 * a postgres:// URL runs in a fresh schema that is dropped at the end). Finishes in well under 60 s.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { Pool } from 'undici';
import { pino } from 'pino';
import { encryptSecret, sha256, systemClock } from '@opencar/core';
import { AccountsRepo, IntegrationsRepo, openStorage } from '@opencar/storage';
import { Deliverer, IntegrationEvents, WebhookService, type VehicleSnapshot } from '@opencar/webhooks';
import { connectForTest } from '@opencar/oauth';
import { startReceiver, type Counts } from './webhook-receiver.js';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 10000);
const VEHICLES = Number(process.env.BENCH_VEHICLES ?? 50);
const SINGLE = Math.min(EVENTS, Number(process.env.BENCH_SINGLE ?? 500));
const OUTBOX_BATCH = Math.max(1, Number(process.env.BENCH_OUTBOX_BATCH ?? 500));
const V3_ROUNDS = Number(process.env.BENCH_V3_ROUNDS ?? 10);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 1000);
const PROFILE = process.env.BENCH_PROFILE;
const RECEIVER = process.env.BENCH_RECEIVER === 'inline' ? 'inline' : 'process';
const PIN = process.env.BENCH_NO_TASKSET !== '1';
const DATABASE_URL = process.env.BENCH_DATABASE_URL;
const PG_SCHEMA = DATABASE_URL?.startsWith('postgres') ? `bench_wh_${randomBytes(4).toString('hex')}` : undefined;
const SECRET = 'bench-secret-key-0123456789';
const AMT = 'bench-amt-0123456789';

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'opencar-bench-wh-'));
  const storage = await openStorage(DATABASE_URL ?? `sqlite:${join(dir, 'bench.db')}`, PG_SCHEMA ? { schema: PG_SCHEMA } : {});
  const rx = await startReceiver(RECEIVER, AMT, RECEIVER === 'process' && PIN);
  const url = rx.url;
  /** Waits (polling) until the receiver has checked `n` deliveries of the kind `done` counts. */
  const waitFor = async (n: number, done: (c: Counts) => number) => {
    for (let i = 0; i < 6000 && done(await rx.counts()) < n; i++) await new Promise((r) => setTimeout(r, 10));
  };
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
    const pool = new Pool(new URL(url).origin, { connections: VEHICLES });
    const post = async (body: string) => {
      const res = await pool.request({ path: '/hook', method: 'POST', body, headers: { 'content-type': 'application/json', 'SC-Signature': createHmac('sha256', AMT).update(body).digest('hex') } });
      await res.body.dump();
    };
    /** The bodies POSTed VEHICLES at a time over the reference client. */
    const postAll = async (bodies: string[]) => {
      let next = 0;
      await Promise.all(Array.from({ length: VEHICLES }, async () => { while (next < bodies.length) await post(bodies[next++]!); }));
    };
    const eventBodies = async (prefix: string) => (await storage.db.selectFrom('webhook_deliveries').select('body').where('webhook_id', '=', hook.id).where('event_name', '=', 'eventBased').orderBy('seq').execute())
      .map((r) => r.body).filter((b) => (JSON.parse(b) as { payload: { eventId: string } }).payload.eventId.startsWith(prefix));
    if (WARMUP > 0) {
      const warm = Array.from({ length: WARMUP }, (_, i) => ({ eventId: `warm-${i}`, vehicleId: `veh-${i % VEHICLES}`, eventType: 'CHARGING_STARTED' as const, at: Date.now() }));
      for (let i = 0; i < WARMUP; i += OUTBOX_BATCH) await storage.db.transaction().execute((trx) => sink(trx, warm.slice(i, i + OUTBOX_BATCH)));
      await svc.deliverer.runUntilIdle();
      await postAll(await eventBodies('warm-'));
    }
    const events = Array.from({ length: EVENTS }, (_, i) => ({ eventId: `evt-${i}`, vehicleId: `veh-${i % VEHICLES}`, eventType: 'CHARGING_STARTED' as const, at: Date.now() }));
    const q0 = performance.now();
    for (let i = 0; i < SINGLE; i++) await storage.db.transaction().execute((trx) => sink(trx, [events[i]!]));
    const singleMs = performance.now() - q0;
    const b0 = performance.now();
    for (let i = SINGLE; i < EVENTS; i += OUTBOX_BATCH) await storage.db.transaction().execute((trx) => sink(trx, events.slice(i, i + OUTBOX_BATCH)));
    const batchMs = performance.now() - b0;
    const singleRate = SINGLE / (singleMs / 1000);
    const batchRate = (EVENTS - SINGLE) / (batchMs / 1000);

    await rx.reset();
    const profiler = PROFILE ? await startProfile() : undefined;
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    svc.deliverer.start();
    await waitFor(EVENTS, (c) => c.verified + c.bad);
    const ms = performance.now() - t0;
    const deliveryCpu = cpuMs(process.cpuUsage(c0));
    if (profiler && PROFILE) await profiler(`${PROFILE}.deliveries.cpuprofile`);
    const { bad } = await rx.counts();
    for (let i = 0; i < 1000 && (await svc.repo.countByStatus()).pending; i++) await new Promise((r) => setTimeout(r, 5));
    const recordedMs = performance.now() - t0;

    // Reference: the same bodies POSTed straight to the same receiver over keep-alive connections, VEHICLES at a time.
    const bodies = await eventBodies('evt-');
    await rx.reset();
    const bareProfiler = PROFILE ? await startProfile() : undefined;
    const r0 = performance.now();
    const rc0 = process.cpuUsage();
    await postAll(bodies);
    const bareMs = performance.now() - r0;
    const bareCpu = cpuMs(process.cpuUsage(rc0));
    if (bareProfiler && PROFILE) await bareProfiler(`${PROFILE}.bare.cpuprofile`);
    const bareVerified = (await rx.counts()).verified;
    await pool.close();

    // The v2 deliverer stops here, so v3 events wait in the outbox until their own timed delivery run.
    await svc.deliverer.stop();

    // API v3: one integration (a change trigger on state of charge, three data signals) on every vehicle.
    const integrations = new IntegrationsRepo(storage.db);
    await integrations.create({
      id: 'bench-v3', app_id: 'bench-app', name: 'bench v3', url, kind: 'integration', cadence: null, topics: '[]', status: 'active', verified_at: 0,
      next_run_at: null, created_at: 0, deleted_at: null, anchor_at: null, triggers: JSON.stringify([{ code: 'tractionbattery-stateofcharge' }]),
      signals: JSON.stringify(['tractionbattery-stateofcharge', 'charge-ischarging', 'odometer-traveleddistance']), error_url: null, auto_subscribe: 0,
    });
    const ids = Array.from({ length: VEHICLES }, (_, v) => `veh-${v}`);
    for (const v of ids) await integrations.subscribe('bench-app', 'bench-v3', v, 'bench-owner', 0);
    let round = 0;
    const read = async (sub: { userId: string; vehicleId: string }, codes: string[]): Promise<VehicleSnapshot> => ({
      user: { id: sub.userId, externalId: null }, vehicle: { id: sub.vehicleId, make: 'TESLA', model: 'Model 3', year: 2024, mode: 'simulated', powertrainType: 'BEV' },
      signals: codes.map((code) => ({
        code, name: code, group: code.split('-')[0]!, status: { value: 'SUCCESS' as const }, meta: { oemUpdatedAt: Date.now(), retrievedAt: Date.now() },
        body: code === 'tractionbattery-stateofcharge' ? { value: 20 + (round % 60), unit: 'percent' } : code === 'charge-ischarging' ? { value: true } : { value: 1000 + round, unit: 'km' },
      })),
    });
    const v3 = new IntegrationEvents({ storage, clock: systemClock, log: pino({ level: 'silent' }), read, publicUrl: 'http://127.0.0.1' });
    const rounds = V3_ROUNDS;
    const e0 = performance.now();
    let v3Events = await v3.observe(ids); // FIRST_DELIVERY for each vehicle
    for (round = 1; round < rounds; round++) v3Events += await v3.observe(ids);
    const evalMs = performance.now() - e0;
    await rx.reset();
    const d0 = performance.now();
    const v3Deliverer = new Deliverer(storage, svc.keys, systemClock, pino({ level: 'silent' }), { pollMs: 5, targets: { allowPrivate: true } });
    v3Deliverer.start();
    await waitFor(v3Events, (c) => c.v3Verified + c.v3Bad);
    const v3Ms = performance.now() - d0;
    const { v3Verified, v3Bad } = await rx.counts();
    for (let i = 0; i < 1000 && (await svc.repo.countByStatus()).pending; i++) await new Promise((r) => setTimeout(r, 5));
    await v3Deliverer.stop();

    const counts = await svc.repo.countByStatus();
    const rate = perSecond(EVENTS, ms);
    const bareRate = perSecond(bareVerified, bareMs);
    process.stdout.write([
      `webhooks: ${EVENTS} charging events, ${VEHICLES} vehicles, ${storage.dialect}, receiver ${rx.where}, after a warm-up of ${WARMUP} deliveries and ${WARMUP} bare POSTs`,
      `outbox writes     ${singleRate.toFixed(0).padStart(7)} events/s one transaction per event (${SINGLE} events)`,
      `outbox writes     ${batchRate.toFixed(0).padStart(7)} events/s ${OUTBOX_BATCH} events per transaction (${EVENTS - SINGLE} events): ${(batchRate / singleRate).toFixed(1)}× one per transaction`,
      `signed deliveries ${rate.toFixed(0).padStart(7)} deliveries/s to a local receiver (${EVENTS} verified with smartcar.verifyPayload, ${bad} bad signatures; all recorded delivered after ${recordedMs.toFixed(0)} ms)`,
      `bare POSTs        ${bareRate.toFixed(0).padStart(7)} requests/s, same bodies, receiver and HTTP client (undici, keep-alive), ${VEHICLES} at a time (${bareVerified} verified): deliveries ÷ bare ${(rate / bareRate).toFixed(2)}`,
      `CPU per request   ${perRequestUs(deliveryCpu, EVENTS).padStart(7)} µs per signed delivery, ${perRequestUs(bareCpu, bareVerified)} µs per bare POST (this process: ${RECEIVER === 'inline' ? 'sender and receiver' : 'the sender alone'}; ${(deliveryCpu / (bareCpu / bareVerified) / EVENTS).toFixed(2)}× bare)`,
      `v3 evaluation     ${((rounds * VEHICLES) / (evalMs / 1000)).toFixed(0).padStart(7)} observations/s (${rounds} rounds × ${VEHICLES} vehicles, ${v3Events} events queued)`,
      `v3 deliveries     ${(v3Verified / (v3Ms / 1000)).toFixed(0).padStart(7)} deliveries/s payload 4.0 (${v3Verified} verified over the raw bytes, ${v3Bad} bad signatures)`,
      `outbox after run  ${JSON.stringify(counts)}`,
      '',
    ].join('\n'));
    if (bad > 0 || bareVerified < bodies.length || v3Bad > 0 || v3Verified < v3Events || counts.pending || counts.dead) process.exitCode = 1;
  } finally {
    await svc.close();
    await rx.close();
    await storage.close();
    rmSync(dir, { recursive: true, force: true });
    if (PG_SCHEMA && DATABASE_URL) {
      const admin = new pg.Client({ connectionString: DATABASE_URL });
      await admin.connect();
      try { await admin.query(`drop schema if exists ${PG_SCHEMA} cascade`); } finally { await admin.end(); }
    }
  }
}

const perSecond = (n: number, ms: number) => n / (ms / 1000);

/** Starts the V8 CPU profiler in this process; the returned function stops it and writes the profile. */
async function startProfile(): Promise<(file: string) => Promise<void>> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return async (file) => {
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(file, JSON.stringify(profile));
    session.disconnect();
  };
}
/** User + system CPU of a process.cpuUsage() difference, ms. */
const cpuMs = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1000;
const perRequestUs = (ms: number, n: number) => ((ms * 1000) / n).toFixed(0);

main().catch((err: unknown) => { process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`); process.exit(1); });
