import type { Logger } from 'pino';
import type { Clock, Config, CredentialThrottle } from '@opencar/core';
import type { VehicleBackend } from '@opencar/connectors';
import type { Storage } from '@opencar/storage';
import type { GrantService } from './contract.js';

/** What Connect and the token endpoint need from the platform. */
export interface OAuthDeps {
  config: Readonly<Config>;
  secretKey: string;
  storage: Storage;
  clock: Clock;
  log: Logger;
  grants: GrantService;
  /** Failed credential checks (client secrets, codes, brand sign-ins), per credential and client address. */
  throttle: CredentialThrottle;
  /** The vehicle backend (simulator by default); Connect shows a server error page without one. */
  backend: VehicleBackend | undefined;
  /** Plan limits: Connect refuses to connect vehicles beyond the plan's connected-vehicle cap. */
  metering?: { assertVehicleCapacity(appId: string, connectedNow: number, adding: number): Promise<void> };
  /** API v3 integrations: an owner's new consent subscribes its vehicles to the app's autoSubscribe integrations. */
  integrations?: { connected(appId: string, userId: string, vehicleIds: string[]): Promise<void> };
}
