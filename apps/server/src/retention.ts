import type { Logger } from 'pino';
import type { Clock } from '@opencar/core';
import { RequestDetailsRepo, RetentionRepo, type PurgeCounts, type Storage } from '@opencar/storage';

const DAY_MS = 86_400_000;
const EVERY_MS = 3_600_000;

/** How long each kind of detail is kept, in days (0: kept forever). */
export interface RetentionDays {
  /** Ledger rows of months with a statement, finished webhook deliveries and attempt logs, charge observations, the mail outbox (OPENCAR_RETENTION_DAYS). */
  days: number;
  /** Request and response headers and bodies of the request log (OPENCAR_REQUEST_LOG_RETENTION_DAYS). */
  requestDetailDays: number;
}

export interface RetentionCounts extends PurgeCounts { requestDetails: number }

/**
 * The retention job: once an hour (and shortly after start) it purges ledger rows, webhook logs,
 * charge observations and outbox mail older than OPENCAR_RETENTION_DAYS (see RetentionRepo) and request headers and
 * bodies older than OPENCAR_REQUEST_LOG_RETENTION_DAYS; usage counters and statements are kept. Several processes may
 * run it at once: each purge is a plain delete of what is already past the cut-off.
 */
export class RetentionJob {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;
  private readonly repo: RetentionRepo;
  private readonly details: RequestDetailsRepo;

  constructor(storage: Storage, private readonly clock: Clock, private readonly days: RetentionDays, private readonly log: Logger) {
    this.repo = new RetentionRepo(storage.db);
    this.details = new RequestDetailsRepo(storage.db);
  }

  private get idle(): boolean { return this.days.days === 0 && this.days.requestDetailDays === 0; }

  /** Purges now; resolves to what was deleted (nothing of a kind whose retention is off). */
  async runOnce(): Promise<RetentionCounts> {
    const now = this.clock.now();
    const counts: RetentionCounts = this.days.days === 0
      ? { ledgerRows: 0, webhookAttempts: 0, webhookDeliveries: 0, chargeObservations: 0, mailMessages: 0, requestDetails: 0 }
      : { ...(await this.repo.purgeBefore(now - this.days.days * DAY_MS)), requestDetails: 0 };
    if (this.days.requestDetailDays > 0) counts.requestDetails = await this.details.purgeBefore(now - this.days.requestDetailDays * DAY_MS);
    if (Object.values(counts).some((n) => n > 0)) {
      this.log.info({ ...counts }, 'retention: purged old request, webhook, charge and mail detail');
    }
    return counts;
  }

  start(firstAfterMs = 60_000): void {
    if (this.idle || this.timer) return;
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
