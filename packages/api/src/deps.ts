import type { ChargeSchedulesRepo } from '@opencar/storage';
import type { Clock, Config, CredentialThrottle } from '@opencar/core';
import type { VehicleBackend } from '@opencar/connectors';
import type { GrantService } from '@opencar/oauth';
import type { Metering } from '@opencar/metering';
import type { IntegrationService, WebhookSubscriptions } from '@opencar/webhooks';
import type { App } from '@opencar/storage';

/** The slice of the application store the API reads (client and management-token auth). */
export interface AppLookup {
  getApp(id: string): Promise<App | undefined>;
  findAppByAmtHash(amtHash: string): Promise<App | undefined>;
}

/** Everything the vehicle, compatibility and management APIs use; wired from the platform. */
export interface ApiDeps {
  config: Readonly<Pick<Config, 'publicUrl'> & Partial<Pick<Config, 'v3CommandSyncMs'>>>;
  clock: Clock;
  grants: GrantService;
  backend: VehicleBackend;
  metering: Metering;
  webhooks: WebhookSubscriptions;
  accounts: AppLookup;
  /** Failed checks of access tokens, client secrets and management tokens, per credential and client address. */
  throttle: CredentialThrottle;
  /** Platform secret: signs the battery-capacity links `GET /battery/nominal_capacity` hands out. */
  secretKey?: string;
  /** API v3 charge schedules the platform runs; the routes are served only when present. */
  chargeSchedules?: ChargeSchedulesRepo;
  /** API v3 integrations; management v3 (applications, webhooks, subscriptions) is served only with them and `appCredentials`. */
  integrations?: IntegrationService;
  /** The app's machine credentials (management v3 `…/secrets` lists their client ids). */
  appCredentials?: { machineCredentials(appId: string): Promise<{ client_id: string; created_at: number }[]> };
}
