import { OperatorRepo, type PlatformCounters } from '@opencar/storage';
import type { OperationsContext } from './context.js';

/** Platform figures at a glance; "today" is the UTC day. */
export async function platformCounters(ctx: OperationsContext): Promise<PlatformCounters & { since: string }> {
  const now = new Date(ctx.clock.now());
  const since = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return { ...(await new OperatorRepo(ctx.storage.db).counters(since)), since: new Date(since).toISOString() };
}
