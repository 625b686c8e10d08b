/**
 * Metering overhead on the vehicle API (`npx tsx bench/metering-overhead.ts`): the same
 * GET /v2.0/vehicles/{id}/odometer load as bench/vehicle-api.ts, alternately with metering on
 * (admission + durable ledger; on a SQLite file `record` resolves once the entry is in the ledger journal and the
 * writer thread commits it afterwards) and with admit/record replaced by no-ops, in one
 * process. Prints both throughputs and the overhead (target: under 10 %).
 * The phases run in ABBA order (on, off, off, on), so a drift in machine speed cancels out.
 *
 * Options (env): BENCH_CONNECTIONS (50), BENCH_SECONDS (5 per run; two runs each), BENCH_DATABASE_URL.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { systemClock } from '@opencar/core';
import { AccountsRepo } from '@opencar/storage';
import { connectForTest } from '@opencar/oauth';
import { TEST_CLIENT, startServer } from '@opencar/e2e';

const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
const seconds = Math.min(60, Number(process.env.BENCH_SECONDS ?? 5));

/** Throughput, and CPU time of this whole process (all threads, client included) per request: steadier than req/s on a shared machine. */
async function rps(url: string, headers: Record<string, string>, duration: number): Promise<{ rps: number; p99: number; non2xx: number; cpuUs: number }> {
  const cpu = process.cpuUsage();
  const r = await autocannon({ url, connections, duration, headers });
  const used = process.cpuUsage(cpu);
  return { rps: r.requests.average, p99: r.latency.p99, non2xx: r.non2xx, cpuUs: (used.user + used.system) / Math.max(1, r.requests.total) };
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
    const off = () => { m.admit = async () => ({}); m.record = async () => {}; };
    const on = () => { m.admit = real.admit; m.record = real.record; };

    await rps(url, headers, 2); // warm-up
    const runs: { on: number[]; off: number[] } = { on: [], off: [] };
    const cpu: { on: number[]; off: number[] } = { on: [], off: [] };
    let non2xx = 0;
    // ABBA order: a machine that slows down (or speeds up) during the run favours neither side.
    for (const phase of ['on', 'off', 'off', 'on'] as const) {
      if (phase === 'on') on(); else off();
      const r = await rps(url, headers, seconds);
      runs[phase].push(r.rps); cpu[phase].push(r.cpuUs); non2xx += r.non2xx;
    }
    on();
    const avg = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
    const withM = avg(runs.on);
    const without = avg(runs.off);
    await platform.metering.flush(); // journaled entries may still be on their way to the database
    const rows = await platform.metering.repo.ledgerForMonth(TEST_CLIENT.clientId, new Date().toISOString().slice(0, 7));
    process.stdout.write([
      `metering overhead — GET /v2.0/vehicles/{id}/odometer, ${connections} connections, 2×${seconds} s each (ABBA), ${platform.storage.dialect}${platform.metering.ledgerJournaled ? ' (ledger journal)' : ''}`,
      `metering on   ${withM.toFixed(0).padStart(7)} req/s  (runs ${runs.on.map((x) => x.toFixed(0)).join(', ')})`,
      `metering off  ${without.toFixed(0).padStart(7)} req/s  (runs ${runs.off.map((x) => x.toFixed(0)).join(', ')})`,
      `overhead      ${((1 - withM / without) * 100).toFixed(1)} % (target < 10 %); ledger rows written: ${rows.length}; non-2xx ${non2xx}; load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}`,
      `cpu/request   on ${avg(cpu.on).toFixed(1)} µs, off ${avg(cpu.off).toFixed(1)} µs (process, all threads, client included): metering costs ${((avg(cpu.on) / avg(cpu.off) - 1) * 100).toFixed(1)} % more CPU per request`,
      '',
    ].join('\n'));
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => { process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`); process.exit(1); });
