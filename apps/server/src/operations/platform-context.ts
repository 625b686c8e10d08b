import type { Platform } from '../platform.js';
import type { OperationsContext } from './context.js';

/** Operations inside the running server: revocation through the platform's grant service (OEM tokens go with it), plan caches dropped at once. */
export function platformOperations(p: Platform): OperationsContext {
  return {
    storage: p.storage, clock: p.clock, secretKey: p.secretKey,
    revokeApp: (appId) => p.grants.revokeApp(appId),
    invalidatePlans: () => p.metering.invalidatePlans(),
    databaseUrl: p.config.databaseUrl,
    flush: () => p.metering.flush(),
  };
}
