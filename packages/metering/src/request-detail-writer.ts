import type { Logger } from 'pino';
import { RequestDetailsRepo, completeDetailColumns, detailRowOf, pushRawDetail, type RequestDetailRow, type Storage } from '@opencar/storage';
import { LedgerBatchFailed, LedgerThreadDied, type LedgerThread } from './ledger-thread.js';

/** One finished API request as the API hands it over: raw, masked and capped only when written. */
export interface RequestDetail {
  requestId: string;
  appId: string;
  at: number;
  method: string;
  /** The URL as received (path and query). */
  url: string;
  requestHeaders: Record<string, unknown>;
  /** The parsed request body (Fastify's `req.body`), or undefined. */
  requestBody: unknown;
  status: number;
  responseHeaders: Record<string, unknown>;
  /** The response payload when it is a string or Buffer; anything else (a stream) is not kept. */
  responseBody: unknown;
}

export interface RequestDetailWriterOptions {
  /** Wait this long after the first pending entry before writing (ms, default 200). */
  maxDelayMs?: number;
  /** Rows per INSERT (default 200). */
  maxBatch?: number;
  /** Entries held while the database is slow; beyond this new ones are dropped (default 5000). */
  maxPending?: number;
  /**
   * File-backed SQLite: mask and insert the batches on the ledger writer thread (its own connection)
   * instead of the main thread. If the thread dies, batches go to the main thread from then on.
   */
  thread?: LedgerThread;
}

/**
 * The row `detail` becomes: secrets masked, bodies capped (throws when it cannot be captured). The
 * ledger writer thread builds rows with the same code (completeDetailColumns).
 */
export function detailRow(d: RequestDetail): RequestDetailRow {
  const raw: unknown[] = [];
  pushRawDetail(raw, d);
  let failure: unknown;
  const done = completeDetailColumns(raw, (_id, err) => { failure = err; });
  if (done.length === 0) throw failure;
  return detailRowOf(done);
}

/**
 * Writes request detail off the request path: `add` only queues the raw entry (no masking, no
 * I/O); a timer masks and writes queued entries in batches. A failed write is logged and its
 * entries dropped: the request log's detail is best effort, the ledger row is what is durable.
 */
export class RequestDetailWriter {
  private queue: RequestDetail[] = [];
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> | null = null;
  private dropped = 0;
  /** Entries posted to the writer thread and not yet reported written. */
  private posted = 0;
  /** Batches posted to the writer thread and not yet reported written. */
  private readonly inflight = new Set<Promise<void>>();
  private closed = false;
  private readonly repo: RequestDetailsRepo;
  private readonly maxDelayMs: number;
  private readonly maxBatch: number;
  private readonly maxPending: number;
  private thread: LedgerThread | null;

  constructor(storage: Storage, private readonly log: Logger, opts: RequestDetailWriterOptions = {}) {
    this.repo = new RequestDetailsRepo(storage.db, storage.sqlite);
    this.maxDelayMs = opts.maxDelayMs ?? 200;
    this.maxBatch = opts.maxBatch ?? 200;
    this.maxPending = opts.maxPending ?? 5000;
    this.thread = opts.thread ?? null;
  }

  /** Queues one request's detail; never throws, never waits. */
  add(d: RequestDetail): void {
    if (this.closed) return;
    if (this.queue.length + this.posted >= this.maxPending) { this.dropped++; return; }
    this.queue.push(d);
    // On the writer thread a full batch goes at once: held until the timer, a busy server's
    // entries would outlive the young generation and cost the main thread's collector dearly.
    if (this.thread && this.queue.length >= this.maxBatch) {
      void this.post(this.queue.splice(0, this.maxBatch));
      return;
    }
    if (!this.timer && !this.writing) {
      this.timer = setTimeout(() => { this.timer = null; void this.writeAll(); }, this.maxDelayMs);
      this.timer.unref();
    }
  }

  /** Resolves once everything queued so far is written (or dropped after a failed write). */
  async flush(): Promise<void> {
    if (this.timer) { clearTimeout(this.timer); this.timer = null; }
    for (let i = 0; i < 1000 && (this.writing || this.queue.length > 0 || this.inflight.size > 0); i++) {
      if (this.writing) await this.writing;
      else if (this.queue.length > 0) await this.writeAll();
      else await Promise.all(this.inflight);
    }
  }

  async close(): Promise<void> {
    await this.flush();
    this.closed = true;
  }

  /**
   * One batch: masked and inserted on the writer thread when there is one (it receives the raw
   * columns), otherwise masked and inserted here; also here once the thread died.
   */
  private async insert(batch: RequestDetail[]): Promise<void> {
    if (batch.length === 0) return;
    const thread = this.thread;
    if (thread?.alive) {
      const raw: unknown[] = [];
      for (const d of batch) pushRawDetail(raw, d);
      try {
        const skipped = await thread.appendDetails(raw);
        for (const s of skipped) this.log.warn({ err: { message: s.message }, requestId: s.requestId }, 'request log: could not capture a request\'s detail');
        return;
      } catch (err) {
        if (err instanceof LedgerBatchFailed) throw err; // rolled back: logged and dropped like a failed insert
        // Died: from now on here. Anything else: the batch could not cross (a body that is not
        // JSON), so it is masked here, where each entry that cannot be captured is left out alone.
        if (err instanceof LedgerThreadDied) this.thread = null;
      }
    } else {
      this.thread = null;
    }
    // Unknown whether a dead thread inserted the batch before it died: a stored request id keeps its row.
    const rows = this.rowsOf(batch);
    if (rows.length > 0) await this.repo.insertMany(rows);
  }

  /** Masks one batch into its rows (an entry that cannot be captured is logged and left out). */
  private rowsOf(batch: RequestDetail[]): RequestDetailRow[] {
    const rows: RequestDetailRow[] = [];
    for (const d of batch) {
      try { rows.push(detailRow(d)); } catch (err) { this.log.warn({ err, requestId: d.requestId }, 'request log: could not capture a request\'s detail'); }
    }
    return rows;
  }

  /** Writes one batch; a failed write is logged and the batch dropped. */
  private async writeBatch(batch: RequestDetail[]): Promise<void> {
    try {
      await this.insert(batch);
    } catch (err) {
      this.log.error({ err, entries: batch.length }, 'request log: could not write request detail; dropped');
    }
  }

  /**
   * Posts one batch to the writer thread without waiting for the batches before it (the thread
   * inserts them in order). Posted entries count against maxPending until the thread reports them written.
   */
  private post(batch: RequestDetail[]): Promise<void> {
    this.posted += batch.length;
    const written: Promise<void> = this.writeBatch(batch).finally(() => {
      this.posted -= batch.length;
      this.inflight.delete(written);
    });
    this.inflight.add(written);
    return written;
  }

  private writeAll(): Promise<void> {
    if (this.writing) return this.writing;
    this.writing = (async () => {
      while (this.queue.length > 0) {
        if (!this.thread) {
          await this.writeBatch(this.queue.splice(0, this.maxBatch));
          continue;
        }
        // On the writer thread: every queued batch is posted at once, so no batch waits for the
        // round trip of the one before it.
        const posted: Promise<void>[] = [];
        while (this.queue.length > 0) posted.push(this.post(this.queue.splice(0, this.maxBatch)));
        await Promise.all(posted);
      }
      if (this.dropped > 0) { this.log.warn({ dropped: this.dropped }, 'request log: detail queue full; detail of some requests not kept'); this.dropped = 0; }
    })().finally(() => { this.writing = null; });
    return this.writing;
  }
}
