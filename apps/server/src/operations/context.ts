import type { Clock } from '@opencar/core';
import type { Storage } from '@opencar/storage';

/**
 * What operations need: storage, the clock and the platform key, plus the running platform's
 * hooks when they run inside the server (token revocation with its side effects, plan caches).
 */
export interface OperationsContext {
  storage: Storage;
  clock: Clock;
  secretKey: string;
  /** Revokes every grant and token of an app (the platform's grant service when in the server). */
  revokeApp(appId: string): Promise<void>;
  /** Drops cached plans so a plan, limit or status change applies to the next request. */
  invalidatePlans(): void;
  /** The configured DATABASE_URL (pg_dump connects with it). */
  databaseUrl: string;
  /** Commits what the server holds in memory (the request ledger's journal) before a backup. */
  flush?(): Promise<void>;
}
