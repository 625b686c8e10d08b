import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { ManualClock, loadConfig, sha256, uuid } from '@opencar/core';
import { AccountsRepo, ChargeSchedulesRepo, openStorage, type Storage } from '@opencar/storage';
import { openTestStorage, testEngines } from '../../../storage/src/testing.js';
import { connectForTest, PERMISSIONS } from '@opencar/oauth';
import { setState } from '@opencar/connectors';
import { createPlatform, type Platform } from '../../../../apps/server/src/platform.js';

const pgEngine = testEngines(process.env).find((e) => e.name === 'postgres')!;
const MIN = 60_000;

/**
 * Two platforms (as two server processes would have: each its own connection pool, simulator and
 * schedule runner) on one PostgreSQL schema: a due start fires once, whoever ticks first.
 */
describe.skipIf(!pgEngine.url)('charge schedules fire once with two server processes on PostgreSQL', () => {
  let dispose: () => Promise<void>;
  let storages: Storage[] = [];
  let platforms: Platform[] = [];
  const clock = new ManualClock(Date.UTC(2026, 10, 1, 6, 0));
  beforeAll(async () => {
    const t = await openTestStorage(pgEngine);
    dispose = t.dispose;
    const second = await openStorage(pgEngine.url!, { schema: t.storage.schema!, migrate: false });
    storages = [t.storage, second];
    const config = loadConfig({ DATABASE_URL: pgEngine.url!, OPENCAR_SECRET_KEY: 'test-secret-key-0123456789', LOG_LEVEL: 'silent', PUBLIC_URL: 'http://opencar.test' });
    platforms = await Promise.all(storages.map((storage) => createPlatform({ config, secretKey: config.secretKey!, storage, clock, log: pino({ level: 'silent' }) })));
    for (const p of platforms) await p.chargeScheduleRunner.close();
  });
  afterAll(async () => {
    for (const p of platforms) await p.close();
    await storages[1]?.close();
    await dispose?.();
  });

  it('one start execution for one due event, across both runners ticking at once', async () => {
    const [a, b] = platforms as [Platform, Platform];
    const accounts = new AccountsRepo(a.storage.db);
    const devId = uuid();
    await accounts.createDeveloper({ id: devId, email: 'pg-dev@example.com', password_hash: null, name: 'Dev', tos_version: null, tos_accepted_at: null, plan: 'enterprise', plan_limits: null, status: 'active', created_at: clock.now() });
    const appId = uuid();
    await accounts.createApp({ id: appId, developerId: devId, name: 'pg', logoUrl: null, clientSecretHash: sha256('x'), amtHash: sha256(`amt-${appId}`), amtEnc: 'x', redirectUris: ['https://app.example/cb'], defaultScope: ['read_vehicle_info'], mode: 'simulated', simLatency: null }, clock.now());
    const signIn = await a.backend.signIn({ make: 'TESLA', email: '5YJ3E1EA7KF000006@bev.smartcar.com', password: 'x', mode: 'simulated', country: 'US' });
    if (!signIn.ok) throw new Error('sign-in failed');
    const vehicleId = signIn.vehicles[0]!.vehicleId;
    await connectForTest(a.storage, clock, { appId, userId: signIn.accountId, vehicleIds: [vehicleId], permissions: [...PERMISSIONS], mode: 'simulated' });
    await setState(a.simulator.sim, vehicleId, { pluggedIn: true, charging: false, soc: 0.3, chargeLimit: 0.9 });
    const repo = new ChargeSchedulesRepo(a.storage.db);
    const start = clock.now() + 5 * MIN;
    await repo.create({
      id: `sched_${'1'.repeat(32)}`, app_id: appId, user_id: signIn.accountId, vehicle_id: vehicleId, type: 'daily',
      parameters: JSON.stringify({ location: { latitude: 1, longitude: 1 }, startTime: new Date(start).toISOString().slice(11, 16), stopTime: new Date(start + 60 * MIN).toISOString().slice(11, 16) }),
      next_at: start, next_action: 'start', created_at: clock.now(), deleted_at: null,
    }, { id: `exec_${'0'.repeat(32)}`, schedule_id: `sched_${'1'.repeat(32)}`, action: 'create', status: 'SUCCESS', error: null, due_at: null, executed_at: clock.now(), completed_at: clock.now() });
    clock.advance(6 * MIN);
    const fired = await Promise.all([a.chargeScheduleRunner.tick(), b.chargeScheduleRunner.tick(), a.chargeScheduleRunner.tick(), b.chargeScheduleRunner.tick()]);
    expect(fired.reduce((x, y) => x + y, 0)).toBe(1);
    const execs = await repo.executions(`sched_${'1'.repeat(32)}`);
    expect(execs.map((e) => [e.action, e.status])).toEqual([['create', 'SUCCESS'], ['start', 'SUCCESS']]);
  });
});
