import type { Logger } from 'pino';
import type { Clock } from '@opencar/core';
import { RetentionRepo, type PurgeCounts, type Storage } from '@opencar/storage';

const DAY_MS = 86_400_000;
const EVERY_MS = 3_600_000;

/**
 * The retention job: once an hour (and shortly after start) it purges detail older than
 * OPENCAR_RETENTION_DAYS (see RetentionRepo); usage counters and statements are kept. Several
 * processes may run it at once: each purge is a plain delete of what is already past the cut-off.
 */
export class RetentionJob {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;
  private readonly repo: RetentionRepo;

  constructor(storage: Storage, private readonly clock: Clock, private readonly days: number, private readonly log: Logger) {
    this.repo = new RetentionRepo(storage.db);
  }

  /** Purges now; resolves to what was deleted (nothing when retention is off). */
  async runOnce(): Promise<PurgeCounts> {
    if (this.days === 0) return { ledgerRows: 0, webhookAttempts: 0, webhookDeliveries: 0 };
    const cutoff = this.clock.now() - this.days * DAY_MS;
    const counts = await this.repo.purgeBefore(cutoff);
    if (counts.ledgerRows || counts.webhookAttempts || counts.webhookDeliveries) {
      this.log.info({ ...counts, before: new Date(cutoff).toISOString() }, 'retention: purged old request and webhook detail');
    }
    return counts;
  }

  start(firstAfterMs = 60_000): void {
    if (this.days === 0 || this.timer) return;
    const tick = () => {
      this.running = this.runOnce().catch((err: unknown) => this.log.error({ err }, 'retention purge failed')).finally(() => { this.running = null; });
    };
    const first = setTimeout(() => { tick(); this.timer = setInterval(tick, EVERY_MS); this.timer.unref(); }, firstAfterMs);
    first.unref();
    this.timer = first;
  }

  async close(): Promise<void> {
    if (this.timer) { clearTimeout(this.timer); clearInterval(this.timer); this.timer = null; }
    await this.running;
  }
}
