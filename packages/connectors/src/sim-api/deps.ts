import type { CredentialThrottle } from '@opencar/core';
import type { SimulatorBackend } from '../sim/backend.js';

/** What the simulator control API needs from the platform. */
export interface SimApiDeps {
  simulator: SimulatorBackend;
  /** App lookup for HTTP Basic client credentials (AccountsRepo.getApp). */
  accounts: { getApp(id: string): Promise<{ id: string; clientSecretHash: string } | undefined> };
  /** Failed client-credential checks, per client id and address (shared with the token endpoint). */
  throttle: CredentialThrottle;
  /** Vehicles connected to the app (only these are visible and controllable). */
  vehicleIdsOfApp(appId: string): Promise<string[]>;
}
