/**
 * Simulator benchmark on the persistent path the server runs: the whole platform (createPlatform)
 * on SQLite in a temp dir, so the storage engine, the webhook outbox sink and API v3 trigger
 * evaluation after every committed change all take part. N vehicles are plugged in and charging;
 * the clock moves 8 h and the platform's due-event processing completes every charge. Timed until
 * the charges are stored and trigger evaluation has settled. Bounded; prints figures last.
 *
 * Run: npx tsx bench/simulator-storage.ts
 * Options (env): BENCH_SIM_VEHICLES (100000), BENCH_DATABASE_URL (default: SQLite file in a temp
 * dir; a postgres:// URL to an empty database works too).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { ManualClock, loadConfig } from '@opencar/core';
import { BRANDS, type SimState } from '@opencar/connectors';
import { openStorage, SimulatorRepo } from '@opencar/storage';
import { createPlatform } from '../apps/server/src/platform.js';
import { newVehicle } from '../packages/connectors/src/sim/factory.js';
import { stableUuid } from '../packages/connectors/src/sim/hash.js';
import { refreshNextAt, startCharging } from '../packages/connectors/src/sim/transitions.js';

const N = Number(process.env.BENCH_SIM_VEHICLES ?? 100_000);
const H = 3_600_000;
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'opencar-bench-sim-'));
  const config = loadConfig({
    DATABASE_URL: process.env.BENCH_DATABASE_URL ?? `sqlite:${join(dir, 'bench.db')}`, OPENCAR_SECRET_KEY: 'bench-secret-key-0123456789',
    LOG_LEVEL: 'silent', PUBLIC_URL: 'http://127.0.0.1', OPENCAR_SIM_LATENCY: 'zero', OPENCAR_DATA_DIR: dir,
  });
  const storage = await openStorage(config.databaseUrl);
  const clock = new ManualClock(Date.UTC(2026, 5, 1, 18));
  const platform = await createPlatform({ config, secretKey: config.secretKey!, storage, clock, log: pino({ level: 'silent' }) });
  try {
    const sim = platform.simulator.sim;
    const evBrands = BRANDS.filter((b) => b.models.some((m) => m.powertrain === 'BEV'));
    let t = performance.now();
    // Accounts of 16 vehicles with a traction battery (the few models without one are skipped, as in
    // bench/simulator.ts), each plugged in at 10–59 % with a 90 % limit and charging.
    await storage.db.transaction().execute(async (trx) => {
      let stored = 0;
      for (let i = 0, a = 0; stored < N && i < 2 * N; a++) {
        const accountId = stableUuid(`bench-account:${a}`);
        await SimulatorRepo.insertAccount(trx, { id: accountId, make: 'BENCH', email: `owner-${a}@bench.example`, mode: 'simulated', country: 'US', created_at: clock.now(), password_hash: null, app_id: null });
        const rows = [];
        for (; rows.length < 16 && stored < N && i < 2 * N; i++) {
          const brand = evBrands[i % evBrands.length]!;
          const s: SimState = newVehicle({ id: stableUuid(`bench:${i}`), accountId, brand, region: brand.regions[0]!, mode: 'simulated', now: clock.now(), powertrain: ['BEV'] });
          const meta = sim.meta(s);
          if (meta.md.batteryKwh === null) continue;
          s.soc = 0.1 + (i % 50) / 100; s.plugged = 1; s.limit = 0.9;
          startCharging(s, meta.tctx, clock.now(), []);
          refreshNextAt(s, meta.md);
          rows.push({ id: s.id, account_id: accountId, vin: s.vin, make: s.make, state: JSON.stringify(s), version: 0, next_event_at: s.nextAt >= 0 ? s.nextAt : null, created_at: clock.now() + i, updated_at: clock.now() });
          stored++;
        }
        await SimulatorRepo.insertVehicles(trx, rows);
      }
    });
    const seedMs = performance.now() - t;
    console.log(`vehicles:              ${fmt(N)} stored in ${fmt(seedMs)} ms (${config.databaseUrl.startsWith('postgres') ? 'PostgreSQL' : 'SQLite'})`);

    clock.advance(8 * H);
    t = performance.now();
    const cpu = process.cpuUsage();
    const processed = await platform.simulator.processDueEvents();
    const advMs = performance.now() - t;
    const used = process.cpuUsage(cpu);
    await platform.integrationEvents.idle();
    const settledMs = performance.now() - t;
    const completed = await storage.db.selectFrom('sim_events').select((eb) => eb.fn.countAll().as('n')).where('event_type', '=', 'CHARGING_COMPLETED').executeTakeFirst();
    const still = await storage.db.selectFrom('sim_vehicles').select((eb) => eb.fn.countAll().as('n')).where('next_event_at', 'is not', null).executeTakeFirst();
    console.log(`still charging after:  ${fmt(Number(still?.n ?? 0))} (large packs on slow AC need more than 8 h from 10 %)`);
    console.log(`advance 8 h, storage:  ${fmt(advMs)} ms for ${fmt(N)} charging vehicles (${fmt(processed)} processed, ${fmt(Number(completed?.n ?? 0))} CHARGING_COMPLETED stored, ${fmt(processed / (advMs / 1000))} vehicles/s; CPU ${fmt((used.user + used.system) / 1000)} ms); trigger evaluation settled after ${fmt(settledMs)} ms`);
  } finally {
    await platform.close();
    await storage.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
