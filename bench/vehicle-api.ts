/**
 * Load benchmark of the vehicle API hot path (`npx tsx bench/vehicle-api.ts`).
 *
 * In one process and one run: GET /v2.0/vehicles/{id}/odometer through the full pipeline (bearer
 * token, grant, permission, capability, metering admission, simulator in the zero-latency profile,
 * durable request ledger) against a bare Fastify route returning the same JSON. 127.0.0.1 only,
 * bounded duration. Prints both throughputs, their ratio and p99 latencies. The two sides run in ABBA
 * order (bare, pipeline, pipeline, bare), each phase half of BENCH_SECONDS. On SQLite a third side runs between them
 * (bare, pipeline, no request log, no request log, pipeline, bare): the same pipeline on a second platform whose request
 * log keeps no headers and bodies (OPENCAR_REQUEST_LOG_RETENTION_DAYS=0), printed for reference. For each side it also prints CPU
 * time per request of the main thread (from /proc; server and client share it, so it bounds req/s) and of the
 * whole process (all threads: the ledger writer thread too), which a shared machine disturbs much less.
 *
 * Both servers log at `warn` (the platform's per-request line is at `info`, as in a production setup).
 *
 * Options (env): BENCH_CONNECTIONS (50), BENCH_SECONDS (10), BENCH_DATABASE_URL (sqlite in a temp dir), BENCH_PROFILE (a
 * path prefix: CPU profiles of the main thread during the first bare phase, `<prefix>.bare.cpuprofile`, and during the first
 * pipeline phase, `<prefix>.pipeline.cpuprofile`, as `node --cpu-prof` writes them).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import Fastify from 'fastify';
import { pino } from 'pino';
import { systemClock } from '@opencar/core';
import { connectForTest } from '@opencar/oauth';
import { TEST_CLIENT, startServer } from '@opencar/e2e';
import { cpuNow, cpuPerRequest } from './thread-cpu.js';

const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
const seconds = Math.min(60, Number(process.env.BENCH_SECONDS ?? 10));
const PROFILE = process.env.BENCH_PROFILE;

/** One phase: throughput, latency, and CPU per request of the main thread and of the whole process (client included, µs). */
interface Run { label: string; rps: number; p50: number; p99: number; non2xx: number; errors: number; total: number; mainUs: number; processUs: number }

async function load(label: string, url: string, headers: Record<string, string>, duration: number): Promise<Run> {
  const cpu = cpuNow();
  const r = await autocannon({ url, connections, duration, headers, pipelining: 1 });
  const used = cpuPerRequest(cpu, r.requests.total);
  return { label, rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, non2xx: r.non2xx, errors: r.errors, total: r.requests.total, ...used };
}

/** Two phases of one side as one run: mean throughput, the worse latency percentiles, summed counts. */
function combine(label: string, runs: Run[]): Run {
  const sum = (f: (r: Run) => number) => runs.reduce((acc, r) => acc + f(r), 0);
  const total = sum((r) => r.total);
  // CPU per request over both phases: weighted by each phase's request count.
  const perRequest = (f: (r: Run) => number) => sum((r) => f(r) * r.total) / Math.max(1, total);
  return {
    label, rps: sum((r) => r.rps) / runs.length, p50: Math.max(...runs.map((r) => r.p50)), p99: Math.max(...runs.map((r) => r.p99)),
    non2xx: sum((r) => r.non2xx), errors: sum((r) => r.errors), total, mainUs: perRequest((r) => r.mainUs), processUs: perRequest((r) => r.processUs),
  };
}

/** One platform with a connected simulated vehicle: the odometer URL and the bearer header to call it with. */
async function pipelineServer(databaseUrl: string, env: Record<string, string>) {
  const server = await startServer({ databaseUrl, env: { OPENCAR_SIM_LATENCY: 'zero', LOG_LEVEL: 'warn', ...env } });
  try {
    const { platform } = server;
    // The seeded app's plan throttles at 100,000 requests a minute; a load test measures the pipeline, not the throttle.
    const app = await platform.storage.db.selectFrom('apps').select('developer_id').where('id', '=', TEST_CLIENT.clientId).executeTakeFirstOrThrow();
    await platform.storage.db.updateTable('developers').set({ plan: 'enterprise', plan_limits: JSON.stringify({ appBucket: { capacity: 1e9, refillPerMinute: 1e9 } }) })
      .where('id', '=', app.developer_id).execute();
    platform.metering.invalidatePlans();
    const signIn = await platform.backend.signIn({ make: 'TESLA', email: 'bench@example.com', password: 'x', mode: 'simulated', country: 'US' });
    if (!signIn.ok) throw new Error(`simulator sign-in failed: ${JSON.stringify(signIn)}`);
    const vehicleId = signIn.vehicles[0]!.vehicleId;
    const tokens = await connectForTest(platform.storage, systemClock, {
      appId: TEST_CLIENT.clientId, userId: signIn.accountId, vehicleIds: [vehicleId], permissions: ['read_odometer'], mode: 'simulated',
    });
    const url = `${server.url}/v2.0/vehicles/${vehicleId}/odometer`;
    const headers = { authorization: `Bearer ${tokens.access_token}` };
    const probe = await fetch(url, { headers });
    const body = await probe.text();
    if (probe.status !== 200) throw new Error(`pipeline probe answered ${probe.status}: ${body}`);
    return { server, url, headers, body };
  } catch (err) {
    // A platform that started and then failed its set-up is closed, so the run can end.
    await server.close();
    throw err;
  }
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'opencar-bench-'));
  const bare = Fastify({ loggerInstance: pino({ level: 'warn' }) });
  let full: Awaited<ReturnType<typeof pipelineServer>> | undefined;
  let nolog: Awaited<ReturnType<typeof pipelineServer>> | undefined;
  try {
    full = await pipelineServer(process.env.BENCH_DATABASE_URL ?? `sqlite:${join(dir, 'bench.db')}`, {});
    // The same pipeline with the request log's headers and bodies off (OPENCAR_REQUEST_LOG_RETENTION_DAYS=0), for reference.
    if (!process.env.BENCH_DATABASE_URL) nolog = await pipelineServer(`sqlite:${join(dir, 'nolog.db')}`, { OPENCAR_REQUEST_LOG_RETENTION_DAYS: '0' });
    const { url: apiUrl, headers, body } = full;

    bare.get('/odometer', async (_req, reply) => reply.type('application/json').send(body));
    await bare.listen({ port: 0, host: '127.0.0.1' });
    const bareUrl = `http://127.0.0.1:${(bare.server.address() as { port: number }).port}/odometer`;

    // Warm both (JIT, caches), then measure each for the same duration.
    // Both receive the same request (the bare route ignores the token), so the client's share is equal.
    await load('warm-up', bareUrl, headers, 2);
    await load('warm-up', apiUrl, headers, 2);
    if (nolog) await load('warm-up', nolog.url, nolog.headers, 2);
    // Mirrored order (bare, pipeline[, no request log ×2], pipeline, bare; half the duration each): a drift in machine speed
    // during the run (common on shared virtual machines) weighs on both sides equally.
    const half = Math.max(1, seconds / 2);
    const phases: Record<'bare' | 'pipeline' | 'nolog', Run[]> = { bare: [], pipeline: [], nolog: [] };
    const order = nolog ? (['bare', 'pipeline', 'nolog', 'nolog', 'pipeline', 'bare'] as const) : (['bare', 'pipeline', 'pipeline', 'bare'] as const);
    const urls = { bare: { url: bareUrl, headers }, pipeline: { url: apiUrl, headers }, nolog: nolog ?? full };
    const session = PROFILE ? new Session() : undefined;
    session?.connect();
    await session?.post('Profiler.enable');
    for (const [i, phase] of order.entries()) {
      // Profiled: the first bare phase, and the first pipeline phase.
      if (session && i < 2) await session.post('Profiler.start');
      phases[phase].push(await load(phase, urls[phase].url, urls[phase].headers, half));
      if (session && i < 2) writeFileSync(`${PROFILE}.${phase}.cpuprofile`, JSON.stringify((await session.post('Profiler.stop')).profile));
    }
    session?.disconnect();
    const baseline = combine('bare Fastify route', phases.bare);
    const pipeline = combine('full pipeline', phases.pipeline);
    const withoutLog = nolog ? combine('no request log', phases.nolog) : undefined;

    const ratio = pipeline.rps / baseline.rps;
    const row = (r: Run) => `${r.label.padEnd(20)} ${r.rps.toFixed(0).padStart(8)} req/s   p50 ${String(r.p50).padStart(4)} ms   p99 ${String(r.p99).padStart(4)} ms   non-2xx ${r.non2xx}   errors ${r.errors}   cpu/request main ${r.mainUs.toFixed(1)} µs, process ${r.processUs.toFixed(1)} µs`;
    process.stdout.write([
      `GET /v2.0/vehicles/{id}/odometer — ${connections} connections, ${seconds} s each (mirrored order, 2×${half} s), body ${body}`,
      row(baseline), row(pipeline), ...(withoutLog ? [row(withoutLog)] : []),
      `phases (req/s)          bare ${phases.bare.map((r) => r.rps.toFixed(0)).join(' / ')}, pipeline ${phases.pipeline.map((r) => r.rps.toFixed(0)).join(' / ')}${withoutLog ? `, no request log ${phases.nolog.map((r) => r.rps.toFixed(0)).join(' / ')}` : ''}`,
      `cpu/request (µs)        main thread bare ${phases.bare.map((r) => r.mainUs.toFixed(1)).join(' / ')}, pipeline ${phases.pipeline.map((r) => r.mainUs.toFixed(1)).join(' / ')}; process bare ${phases.bare.map((r) => r.processUs.toFixed(1)).join(' / ')}, pipeline ${phases.pipeline.map((r) => r.processUs.toFixed(1)).join(' / ')} (client included)`,
      `cpu ratio (bare / pipeline per request) main thread ${(baseline.mainUs / pipeline.mainUs).toFixed(2)}, process ${(baseline.processUs / pipeline.processUs).toFixed(2)}; load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}`,
      ...(withoutLog ? [`ratio without the request log's detail (OPENCAR_REQUEST_LOG_RETENTION_DAYS=0) ${(withoutLog.rps / baseline.rps).toFixed(2)}; main-thread CPU bare / no request log ${(baseline.mainUs / withoutLog.mainUs).toFixed(2)} (for reference)`] : []),
      `ratio (pipeline / bare) ${ratio.toFixed(2)} (target ≥ 0.60)`,
      '',
    ].join('\n'));
    if (pipeline.non2xx > 0 || pipeline.errors > 0 || (withoutLog && (withoutLog.non2xx > 0 || withoutLog.errors > 0))) process.exitCode = 1;
  } finally {
    await bare.close();
    await full?.server.close();
    await nolog?.server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => { process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`); process.exit(1); });
