import type { DeliveryOutbox, FinishedAttempt } from '@opencar/storage';

/** How long a finished attempt waits for others of its round before it is recorded anyway, ms. */
const FLUSH_MS = 20;

/**
 * Records a round's finished attempts in batches: at once when the last leased delivery of the
 * round is accounted for, else FLUSH_MS after the first unrecorded one finished, so a slow receiver
 * never holds back the record of the others for long. Each batch is one transaction, and carries
 * the leases given back unattempted (the rest of a chain that stopped).
 */
export class Completions {
  private batch: FinishedAttempt[] = [];
  private released: string[] = [];
  private done: { promise: Promise<void>; resolve: () => void; reject: (err: unknown) => void } | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly outbox: DeliveryOutbox, private readonly owner: string, private outstanding: number) {}

  /** Resolves once the attempt is recorded. */
  add(finished: FinishedAttempt): Promise<void> {
    this.batch.push(finished);
    return this.account(1);
  }

  /** Gives back the leases of deliveries the round will not attempt; resolves once that is recorded. */
  release(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return Promise.resolve();
    this.released.push(...ids);
    return this.account(ids.length);
  }

  private account(n: number): Promise<void> {
    this.outstanding -= n;
    if (!this.done) {
      let resolve!: () => void;
      let reject!: (err: unknown) => void;
      const promise = new Promise<void>((res, rej) => { resolve = res; reject = rej; });
      this.done = { promise, resolve, reject };
    }
    const { promise } = this.done;
    if (this.outstanding <= 0) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), FLUSH_MS);
    return promise;
  }

  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const { batch, released, done } = this;
    this.batch = [];
    this.released = [];
    this.done = null;
    if (!done) return;
    if (batch.length === 0 && released.length === 0) { done.resolve(); return; }
    this.outbox.finishAttempts(this.owner, batch, released).then(done.resolve, done.reject);
  }
}
