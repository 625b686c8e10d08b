import type { Logger } from 'pino';
import type { Clock, Config, CredentialThrottle } from '@opencar/core';
import type { Storage } from '@opencar/storage';
import type { GrantService } from '@opencar/oauth';
import type { SimulatorBackend, VehicleBackend } from '@opencar/connectors';
import type { MeteringService, UsageService } from '@opencar/metering';
import type { IntegrationService, WebhookService } from '@opencar/webhooks';

/**
 * What the two web UIs need from the platform. Feature services are optional: a page whose service
 * is not composed into the platform says so instead of failing, so the UIs run on any subset.
 */
export interface WebDeps {
  config: Readonly<Config>;
  secretKey: string;
  storage: Storage;
  clock: Clock;
  log: Logger;
  /** Failed sign-ins (dashboard, owner portal, account termination), per account and client address. */
  throttle: CredentialThrottle;
  grants?: GrantService;
  backend?: VehicleBackend;
  /** The simulator's control surface (simulator console). */
  simulator?: SimulatorBackend;
  /** Plan limits (usage page) and plan-cache invalidation after a plan change. */
  /** Webhook management: create/verify, subscriptions, delivery log, redelivery. */
  webhooks?: Pick<WebhookService, 'create' | 'verify' | 'list' | 'remove' | 'deliveries' | 'delivery' | 'redeliver' | 'sendTest' | 'get' | 'subscribe' | 'unsubscribe'>;
  /** API v3 integrations (Integrations tab): create/verify, enable/disable, subscriptions. */
  integrations?: Pick<IntegrationService, 'signalChoices' | 'create' | 'update' | 'verify' | 'setEnabled' | 'get' | 'list' | 'remove' | 'subscribe' | 'unsubscribe' | 'subscriptions'>;
  metering?: Pick<MeteringService, 'limitsFor' | 'invalidatePlans' | 'flush' | 'bucketStates'>;
  /** Usage and statements exactly as billing computes them (usage page). */
  usage?: Pick<UsageService, 'usage' | 'usageByDay' | 'statements' | 'periods'>;
}
