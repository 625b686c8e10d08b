/**
 * Metering overhead on the vehicle API (`npx tsx bench/metering-overhead.ts`): the same
 * GET /v2.0/vehicles/{id}/odometer load as bench/vehicle-api.ts, alternately with metering on
 * (admission + durable ledger; on a SQLite file `record` resolves once the entry is in the ledger journal and the
 * writer thread commits it afterwards) and with admit/record replaced by no-ops, in one
 * process. Prints both throughputs and the overhead (target: under 10 %).
 * The phases run in mirrored order (on, off, deferred, deferred, off, on), so a drift in machine
 * speed cancels out. `deferred` is metering off with each response held for one event-loop turn,
 * as the ledger journal holds it: on machines where batching responses that way raises throughput,
 * on-vs-deferred isolates metering's own work. Last, admit + record are timed without HTTP.
 *
 * Options (env): BENCH_CONNECTIONS (50), BENCH_SECONDS (5 per run; two runs each), BENCH_DATABASE_URL.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { systemClock } from '@opencar/core';
import { AccountsRepo } from '@opencar/storage';
import type { Metering } from '@opencar/metering';
import { connectForTest } from '@opencar/oauth';
import { TEST_CLIENT, startServer } from '@opencar/e2e';
import { cpuNow, cpuPerRequest } from './thread-cpu.js';

const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
const seconds = Math.min(60, Number(process.env.BENCH_SECONDS ?? 5));

/**
 * Throughput, and CPU time per request of this whole process (all threads, client included) and of its
 * main thread (server and client, from /proc): steadier than req/s on a shared machine.
 */
async function rps(url: string, headers: Record<string, string>, duration: number): Promise<{ rps: number; p99: number; non2xx: number; cpuUs: number; mainUs: number }> {
  const cpu = cpuNow();
  const r = await autocannon({ url, connections, duration, headers });
  const used = cpuPerRequest(cpu, r.requests.total);
  return { rps: r.requests.average, p99: r.latency.p99, non2xx: r.non2xx, cpuUs: used.processUs, mainUs: used.mainUs };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'opencar-bench-meter-'));
  const server = await startServer({ databaseUrl: process.env.BENCH_DATABASE_URL ?? `sqlite:${join(dir, 'bench.db')}`, env: { OPENCAR_SIM_LATENCY: 'zero' } });
  try {
    const { platform } = server;
    // The seeded Enterprise app's bucket (100,000 refilling 100,000/min) would start answering 429
    // above ~1,700 req/s sustained; widen it so both phases measure served requests (the bucket is
    // still taken on every request).
    const accounts = new AccountsRepo(platform.storage.db);
    const app = await accounts.getApp(TEST_CLIENT.clientId);
    await accounts.updateDeveloper(app!.developerId, { plan_limits: JSON.stringify({ appBucket: { capacity: 1e9, refillPerMinute: 1e9 } }) });
    platform.metering.invalidatePlans();
    const signIn = await platform.backend.signIn({ make: 'TESLA', email: 'bench@example.com', password: 'x', mode: 'simulated', country: 'US' });
    if (!signIn.ok) throw new Error('simulator sign-in failed');
    const vehicleId = signIn.vehicles[0]!.vehicleId;
    const tokens = await connectForTest(platform.storage, systemClock, { appId: TEST_CLIENT.clientId, userId: signIn.accountId, vehicleIds: [vehicleId], permissions: ['read_odometer'], mode: 'simulated' });
    const url = `${server.url}/v2.0/vehicles/${vehicleId}/odometer`;
    const headers = { authorization: `Bearer ${tokens.access_token}` };

    const m = platform.metering;
    const real = { admit: m.admit.bind(m), record: m.record.bind(m) };
    const modes = {
      on: () => { m.admit = real.admit; m.record = real.record; },
      off: () => { m.admit = async () => ({}); m.record = async () => {}; },
      // Like `off`, but each response waits for the next event-loop turn, as a journaled `record` does.
      deferred: () => { m.admit = async () => ({}); m.record = () => new Promise((r) => setImmediate(r)); },
    };
    type Mode = keyof typeof modes;

    await rps(url, headers, 2); // warm-up
    const runs: Record<Mode, number[]> = { on: [], off: [], deferred: [] };
    const cpu: Record<Mode, number[]> = { on: [], off: [], deferred: [] };
    const main: Record<Mode, number[]> = { on: [], off: [], deferred: [] };
    let non2xx = 0;
    // Mirrored order (ABCCBA): a machine that slows down (or speeds up) during the run favours no side.
    for (const phase of ['on', 'off', 'deferred', 'deferred', 'off', 'on'] as const) {
      modes[phase]();
      const r = await rps(url, headers, seconds);
      runs[phase].push(r.rps); cpu[phase].push(r.cpuUs); main[phase].push(r.mainUs); non2xx += r.non2xx;
    }
    modes.on();
    const avg = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
    const withM = avg(runs.on);
    const without = avg(runs.off);
    const deferred = avg(runs.deferred);
    const direct = await directCost(real, { appId: TEST_CLIENT.clientId, vehicleId, userId: signIn.accountId });
    await platform.metering.flush(); // journaled entries may still be on their way to the database
    const rows = await platform.metering.repo.ledgerForMonth(TEST_CLIENT.clientId, new Date().toISOString().slice(0, 7));
    process.stdout.write([
      `metering overhead — GET /v2.0/vehicles/{id}/odometer, ${connections} connections, 2×${seconds} s each (mirrored order), ${platform.storage.dialect}${platform.metering.ledgerJournaled ? ' (ledger journal)' : ''}`,
      `metering on   ${withM.toFixed(0).padStart(7)} req/s  (runs ${runs.on.map((x) => x.toFixed(0)).join(', ')})`,
      `metering off  ${without.toFixed(0).padStart(7)} req/s  (runs ${runs.off.map((x) => x.toFixed(0)).join(', ')})`,
      `overhead      ${((1 - withM / without) * 100).toFixed(1)} % (target < 10 %); ledger rows written: ${rows.length}; non-2xx ${non2xx}; load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}`,
      `cpu/request   on ${avg(cpu.on).toFixed(1)} µs, off ${avg(cpu.off).toFixed(1)} µs (process, all threads, client included): metering costs ${((avg(cpu.on) / avg(cpu.off) - 1) * 100).toFixed(1)} % more CPU per request`,
      `main thread   on ${avg(main.on).toFixed(1)} µs, off ${avg(main.off).toFixed(1)} µs per request (server and client): metering costs ${((avg(main.on) / avg(main.off) - 1) * 100).toFixed(1)} % more main-thread CPU per request`,
      `deferred off  ${deferred.toFixed(0).padStart(7)} req/s  (runs ${runs.deferred.map((x) => x.toFixed(0)).join(', ')}): no metering, each response sent one event-loop turn later as with the journal; metering's work alone costs ${((1 - withM / deferred) * 100).toFixed(1)} %`,
      `direct        admit + record without HTTP: ${direct.wallUs.toFixed(2)} µs per request on the main thread (${direct.requests} requests, ${connections} in flight), ${(direct.wallUs / avg(cpu.off) * 100).toFixed(1)} % of a metering-off request's process CPU`,
      '',
    ].join('\n'));
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Metering's own main-thread time: admit + record of `requests` calls, `connections` in flight, no HTTP. */
async function directCost(m: Pick<Metering, 'admit' | 'record'>, ids: { appId: string; vehicleId: string; userId: string }): Promise<{ wallUs: number; requests: number }> {
  const requests = 100_000;
  const endpoint = 'GET /v2.0/vehicles/:id/odometer';
  let next = 0;
  const one = async (): Promise<void> => {
    while (next < requests) {
      const requestId = randomUUID();
      next += 1;
      await m.admit({ appId: ids.appId, vehicleId: ids.vehicleId, endpoint, units: 1, requestId });
      await m.record({ requestId, at: Date.now(), appId: ids.appId, vehicleId: ids.vehicleId, userId: ids.userId, endpoint, method: 'GET', status: 200, latencyMs: 1.25, units: 1, woke: false, requestClass: 'data' });
    }
  };
  const started = process.hrtime.bigint();
  await Promise.all(Array.from({ length: connections }, one));
  return { wallUs: Number(process.hrtime.bigint() - started) / 1000 / requests, requests };
}

main().catch((err: unknown) => { process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`); process.exit(1); });
