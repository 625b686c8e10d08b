import type { Logger } from 'pino';
import { CredentialThrottle, type Clock, type Config } from '@opencar/core';
import { ChargeSchedulesRepo, CredentialFailuresRepo, type Storage } from '@opencar/storage';
import { StoredGrantService, type GrantService } from '@opencar/oauth';
import { MeteringService, UsageService } from '@opencar/metering';
import { IntegrationEvents, IntegrationService, WebhookService, type Resolver } from '@opencar/webhooks';
import { ModeRouter, SimulatorBackend, StorageEngine, TeslaBackend } from '@opencar/connectors';
import { RetentionJob } from './retention.js';
import { ChargeScheduleRunner, readSignalSnapshot, SIGNALS_BY_CODE } from '@opencar/api';

/**
 * Everything a request handler may use, built once by the composition root and passed into every
 * feature plugin. Feature packages declare the subset they need as their own `…Deps` interface.
 */
export interface Platform {
  config: Readonly<Config>;
  secretKey: string;
  storage: Storage;
  clock: Clock;
  log: Logger;
  /**
   * Vehicle backend: catalogue, OEM sign-in for Connect, connector per vehicle, events. Routes by mode:
   * `simulated`/`test` → the simulator, `live` → the real connector of the brand, registered with
   * `backend.registerLiveBrand(make, liveBackend)`: Tesla when OPENCAR_TESLA_CLIENT_ID is set;
   * every other brand is unavailable in live mode.
   */
  backend: ModeRouter;
  /** The Tesla Fleet API connector (live mode), when configured: its key pair, partner registration, self-test. */
  tesla: TeslaBackend | undefined;
  /** The simulator behind `simulated`/`test` mode, with its control surface (clock, state, faults) for the simulator API and dashboard. */
  simulator: SimulatorBackend;
  /** Grants and tokens (Connect/OAuth): access-token verification, connections, revocation. */
  grants: GrantService;
  /** Admission (plans, quotas, rate limits) and the durable request ledger; also usage and Connect's vehicle cap. */
  metering: MeteringService;
  /** Usage per app and billing month, and monthly statements (closed by a background loop). */
  usage: UsageService;
  /** The one throttle of failed credential checks (every password, secret, token and code), shared through storage. */
  throttle: CredentialThrottle;
  /** Webhooks: vehicle subscriptions (v2 endpoints), management, delivery log, redelivery; the outbox sink for vehicle events. */
  webhooks: WebhookService;
  /**
   * API v3 integrations: management, VERIFY, enable/disable, vehicle subscriptions (also made by
   * autoSubscribe when an owner connects vehicles to the app).
   */
  integrations: IntegrationService;
  /** API v3 trigger evaluation: observes subscribed vehicles and queues FIRST_DELIVERY, VEHICLE_STATE and VEHICLE_ERROR events. */
  integrationEvents: IntegrationEvents;
  /** Purges ledger rows and webhook logs older than OPENCAR_RETENTION_DAYS and request headers/bodies older than OPENCAR_REQUEST_LOG_RETENTION_DAYS, hourly. */
  retention: RetentionJob;
  /** API v3 charge schedules (storage) and the loop that starts and stops charging on their times. */
  chargeSchedules: ChargeSchedulesRepo;
  chargeScheduleRunner: ChargeScheduleRunner;
  /** Stops background work (delivery loops, ledger flush) before storage closes. */
  close(): Promise<void>;
}

/** How often every vehicle subscribed to an API v3 integration is observed, besides the simulator's own changes. */
const INTEGRATION_SWEEP_MS = 60_000;

export interface PlatformInput {
  config: Readonly<Config>;
  secretKey: string;
  storage: Storage;
  clock: Clock;
  log: Logger;
  /** How webhook receivers' host names are resolved (default: the system resolver); tests answer from a table. */
  resolveHost?: Resolver;
}

export async function createPlatform(input: PlatformInput): Promise<Platform> {
  const { config, storage, clock, log } = input;
  const closers: (() => Promise<void>)[] = [];
  // Services in dependency order: backend → grants → metering → webhooks; each background loop
  // registers its stop function, and close() runs them in reverse.
  const engine = new StorageEngine(storage, clock);
  const simulator = new SimulatorBackend({
    engine, clock, defaultLatency: config.simLatency,
    tickMs: 1000, onError: (err) => log.error({ err }, 'simulator event processing failed'),
  });
  closers.push(() => simulator.close());
  const backend = new ModeRouter(simulator);
  const tesla = config.tesla ? new TeslaBackend({
    config: config.tesla, storage, clock, secretKey: input.secretKey, redirectUri: teslaRedirectUri(config.publicUrl), log: log.child({ connector: 'tesla' }),
  }) : undefined;
  if (tesla) {
    backend.registerLiveBrand('TESLA', tesla);
    closers.push(() => tesla.close());
  }
  const grants = new StoredGrantService(storage, clock);
  // When an app's access to an owner ends, the OEM tokens it held are deleted.
  grants.whenAccessEnds(async (appId, userId) => {
    try { await backend.forgetAccess(appId, userId); } catch (err) { log.error({ err, appId }, 'could not delete OEM tokens after a revocation'); }
  });
  const metering = new MeteringService(storage, clock, log, { simulatedBucket: config.simulatedBucket, requestDetail: config.requestLogRetentionDays > 0 ? {} : false });
  closers.push(() => metering.close());
  const usage = new UsageService(storage, clock, log);
  closers.push(() => usage.close());
  const webhooks = new WebhookService({
    storage, clock, log, secretKey: input.secretKey, publicUrl: config.publicUrl, timeoutMs: config.webhookTimeoutMs,
    targets: { allowPrivate: config.webhookAllowPrivate, resolve: input.resolveHost },
    backend: () => backend, accessLog: metering, connections: async (appId, vehicleId) => (await grants.listConnections(appId, { vehicleId }, { limit: 100 })).connections,
    allows: async (appId, feature) => (await metering.limitsFor(appId))?.features.has(feature) ?? false,
  });
  closers.push(() => webhooks.close());
  const integrations = new IntegrationService({
    storage, clock, log, secretKey: input.secretKey, catalogue: SIGNALS_BY_CODE, timeoutMs: config.webhookTimeoutMs,
    targets: { allowPrivate: config.webhookAllowPrivate, resolve: input.resolveHost }, planUrl: `${config.publicUrl}/dashboard/plans`,
    allowedSignals: async (appId) => (await metering.limitsFor(appId))?.webhookSignals ?? undefined,
  });
  // API v3 events: every committed change of a simulated vehicle is observed (after the change, in
  // the background); a sweep observes every subscribed vehicle, real ones included, once a minute.
  // Real vehicles are observed without waking them: a sleeping car is skipped (past a day asleep,
  // a VEHICLE_ERROR says so), so the sweep never spends a car's wake budget or its 12 V battery.
  const integrationEvents = new IntegrationEvents({
    storage, clock, log, publicUrl: config.publicUrl,
    read: (sub, codes) => readSignalSnapshot({ backend, grants, clock, config, secretKey: input.secretKey, chargeSchedules: new ChargeSchedulesRepo(storage.db) }, sub, codes, { noWakeLive: true }),
  });
  integrations.whenSubscribed((webhookId, vehicleId) => integrationEvents.subscribed(webhookId, vehicleId));
  engine.onCommitted((vehicleId) => integrationEvents.notify([vehicleId]));
  integrationEvents.start(INTEGRATION_SWEEP_MS);
  closers.push(() => integrationEvents.close());
  // Charging events become outbox rows in the transaction that records them.
  backend.addEventSink(webhooks.eventSink());
  webhooks.start();
  usage.start();
  const retention = new RetentionJob(storage, clock, { days: config.retentionDays, requestDetailDays: config.requestLogRetentionDays }, log);
  retention.start();
  closers.push(() => retention.close());
  const chargeScheduleRunner = new ChargeScheduleRunner({ storage, backend, grants, clock, log, tickMs: 1000 });
  chargeScheduleRunner.start();
  closers.push(() => chargeScheduleRunner.close());
  return {
    ...input,
    throttle: new CredentialThrottle(new CredentialFailuresRepo(storage.db), clock),
    backend,
    tesla,
    simulator,
    grants,
    metering,
    usage,
    webhooks,
    integrations,
    integrationEvents,
    retention,
    chargeSchedules: new ChargeSchedulesRepo(storage.db),
    chargeScheduleRunner,
    close: async () => { for (const c of closers.reverse()) await c(); },
  };
}

/** Where Tesla returns the owner after signing in; register this URL as the app's redirect URI at Tesla. */
export function teslaRedirectUri(publicUrl: string): string {
  return `${publicUrl}/connect/oem/tesla/callback`;
}
