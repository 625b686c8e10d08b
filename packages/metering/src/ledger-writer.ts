import type { Logger } from 'pino';
import { counterDeltas, type CounterDelta, type LedgerRow, type MeteringRepo } from '@opencar/storage';
import type { JournaledRow } from './ledger-journal.js';
import { LedgerThreadDied, type LedgerThread } from './ledger-thread.js';

/**
 * Queued rows: one `write`, or one ledger-journal group. `seq`: highest journal sequence of the
 * rows; `text`: their journal lines, which the writer thread parses instead of receiving the rows.
 */
interface Pending { rows: LedgerRow[]; seq: number | undefined; text: string | null; done: () => void }

export interface LedgerWriterOptions {
  /** Flush once this many entries wait (default 256). */
  maxBatch?: number;
  /** Wait before a flush, in ms; 0 (default) = right after the current event-loop turn, which measured faster under load than a fixed delay. */
  maxDelayMs?: number;
  /** Called with the counter changes of each committed batch and its highest journal sequence (if any). */
  onCommit?: (deltas: CounterDelta[], journalSeq: number | undefined) => void;
  /**
   * File-backed SQLite: commit batches on this writer thread instead of the main thread. If the
   * thread dies, the writer falls back to the main thread for good (logged), losing no entry.
   */
  thread?: LedgerThread;
}

/**
 * Group commit for the request ledger: concurrent `write` calls share one transaction, and each
 * resolves only after the transaction holding its row committed. Entries that arrive while a
 * commit runs form the next batch. A failed commit is retried; callers keep waiting meanwhile.
 */
export class LedgerWriter {
  private queue: Pending[] = [];
  /** Rows in `queue`. */
  private queued = 0;
  private flushing: Promise<void> | null = null;
  private timer: NodeJS.Timeout | NodeJS.Immediate | null = null;
  private closed = false;
  private readonly maxBatch: number;
  private readonly maxDelayMs: number;
  private thread: LedgerThread | null;

  constructor(private readonly repo: MeteringRepo, private readonly log: Logger, private readonly opts: LedgerWriterOptions = {}) {
    this.maxBatch = opts.maxBatch ?? 256;
    this.maxDelayMs = opts.maxDelayMs ?? 0;
    this.thread = opts.thread ?? null;
  }

  /** Whether batches are currently committed on a writer thread. */
  get threaded(): boolean { return this.thread !== null; }

  /** `seq`: the row's ledger-journal sequence, stored with the batch (see MeteringRepo.appendLedger). */
  write(row: LedgerRow, seq?: number): Promise<void> {
    return new Promise((resolve) => this.enqueue({ rows: [row], seq, text: null, done: resolve }));
  }

  /**
   * A ledger-journal group (see LedgerJournal): `entries` in sequence order and their journal
   * text (null when they are not in the journal). Resolves once they are committed.
   */
  writeJournaled(entries: JournaledRow[], text: string | null): Promise<void> {
    return new Promise((resolve) => this.enqueue({ rows: entries.map((e) => e.row), seq: entries[entries.length - 1]?.seq, text, done: resolve }));
  }

  private enqueue(p: Pending): void {
    this.queue.push(p);
    this.queued += p.rows.length;
    if (this.flushing) return; // the running flush picks the queue up when it finishes
    if (this.queued >= this.maxBatch) { this.cancelTimer(); void this.flush(); return; }
    this.schedule();
  }

  /** Waits until everything written so far is durable. */
  async drain(): Promise<void> {
    this.cancelTimer();
    while (this.queue.length > 0 || this.flushing) {
      if (this.flushing) await this.flushing; else await this.flush();
    }
  }

  async close(): Promise<void> {
    await this.drain();
    this.closed = true;
    const t = this.thread;
    this.thread = null;
    await t?.close();
  }

  private schedule(): void {
    if (this.timer || this.closed) return;
    this.timer = this.maxDelayMs > 0
      ? setTimeout(() => { this.timer = null; void this.flush(); }, this.maxDelayMs)
      : setImmediate(() => { this.timer = null; void this.flush(); });
  }

  private cancelTimer(): void {
    if (!this.timer) return;
    if (this.maxDelayMs > 0) clearTimeout(this.timer as NodeJS.Timeout); else clearImmediate(this.timer as NodeJS.Immediate);
    this.timer = null;
  }

  private flush(): Promise<void> {
    if (this.flushing) return this.flushing;
    if (this.queue.length === 0) return Promise.resolve();
    // Up to 4 × maxBatch rows per commit (a single larger group goes whole).
    let n = 0;
    let rows = 0;
    while (n < this.queue.length && (n === 0 || rows + this.queue[n]!.rows.length <= this.maxBatch * 4)) rows += this.queue[n++]!.rows.length;
    const batch = this.queue.splice(0, n);
    this.queued -= rows;
    this.flushing = this.commit(batch).finally(() => {
      this.flushing = null;
      if (this.queue.length > 0) {
        if (this.queued >= this.maxBatch) void this.flush(); else this.schedule();
      }
    });
    return this.flushing;
  }

  /** One attempt at committing `rows` (`text`: their journal lines, when known); throws when nothing of them was committed. */
  private async append(rows: LedgerRow[], seq: number | undefined, text: string | null): Promise<CounterDelta[]> {
    const thread = this.thread;
    if (!thread) return this.repo.appendLedger(rows, seq);
    try {
      return await (text !== null ? thread.appendJournalText(text, seq) : thread.append(rows, seq));
    } catch (err) {
      if (!(err instanceof LedgerThreadDied)) throw err; // rolled back: the retry loop commits it again
      this.thread = null;
      this.log.error({ err }, 'ledger writer thread died; committing the ledger on the main thread from now on');
      // The one ambiguous outcome: the thread may have committed this batch just before dying.
      // Journaled batches stored their sequence with the commit; otherwise nothing else appends
      // to the ledger, so if it did, the batch's last row is the ledger's last row.
      const committed = seq !== undefined
        ? (this.repo.committedJournalSeq() ?? 0) >= seq
        : this.repo.lastLedgerRequestId() === rows[rows.length - 1]?.request_id;
      if (committed) {
        const deltas = counterDeltas(rows, null);
        for (const d of deltas) d.total = this.repo.countersNow(d.appId, d.month)?.find((c) => c.scope === d.scope)?.units;
        return deltas;
      }
      return this.repo.appendLedger(rows, seq);
    }
  }

  private async commit(batch: Pending[]): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        let seq: number | undefined;
        let text: string | null = '';
        for (const p of batch) {
          if (p.seq !== undefined && (seq === undefined || p.seq > seq)) seq = p.seq;
          text = text !== null && p.text !== null ? text + p.text : null;
        }
        const rows = batch.length === 1 ? batch[0]!.rows : batch.flatMap((p) => p.rows);
        const deltas = await this.append(rows, seq, text);
        this.opts.onCommit?.(deltas, seq);
        for (const p of batch) p.done();
        return;
      } catch (err) {
        if (attempt >= 30) {
          // Bounded so shutdown cannot hang on a dead database; the entries are logged, not silently dropped.
          this.log.error({ err, requestIds: batch.flatMap((p) => p.rows.map((r) => r.request_id)) }, 'ledger write failed permanently');
          for (const p of batch) p.done();
          return;
        }
        this.log.error({ err, entries: batch.length, attempt }, 'ledger write failed; retrying');
        await new Promise((r) => setTimeout(r, Math.min(1000, 20 * 2 ** attempt)));
      }
    }
  }
}
