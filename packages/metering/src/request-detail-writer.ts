import type { Logger } from 'pino';
import { RequestDetailsRepo, flattenDetailRows, type RequestDetailRow, type Storage } from '@opencar/storage';
import { LedgerThreadDied, type LedgerThread } from './ledger-thread.js';
import { captureBody, maskHeaders, maskQuery } from './request-detail-mask.js';

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
   * File-backed SQLite: insert the batches on the ledger writer thread (its own connection)
   * instead of the main thread. If the thread dies, batches go to the main thread from then on.
   */
  thread?: LedgerThread;
}

const headerOf = (h: Record<string, unknown>, name: string) => { const v = h[name]; return typeof v === 'string' ? v : undefined; };

/** The row `detail` becomes: secrets masked, bodies capped. */
export function detailRow(d: RequestDetail): RequestDetailRow {
  const q = d.url.indexOf('?');
  const req = captureBody(d.requestBody, headerOf(d.requestHeaders, 'content-type'));
  const res = captureBody(typeof d.responseBody === 'string' || Buffer.isBuffer(d.responseBody) ? d.responseBody : undefined, headerOf(d.responseHeaders, 'content-type'));
  return {
    request_id: d.requestId, app_id: d.appId, at: d.at, method: d.method,
    path: q < 0 ? d.url : d.url.slice(0, q), query: q < 0 ? '' : maskQuery(d.url.slice(q + 1)),
    request_headers: JSON.stringify(maskHeaders(d.requestHeaders)),
    request_body: req.body, request_body_bytes: req.bytes, request_body_truncated: req.truncated ? 1 : 0,
    response_status: d.status, response_headers: JSON.stringify(maskHeaders(d.responseHeaders)),
    response_body: res.body, response_body_bytes: res.bytes, response_body_truncated: res.truncated ? 1 : 0,
  };
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
    if (!this.timer && !this.writing) {
      this.timer = setTimeout(() => { this.timer = null; void this.writeAll(); }, this.maxDelayMs);
      this.timer.unref();
    }
  }

  /** Resolves once everything queued so far is written (or dropped after a failed write). */
  async flush(): Promise<void> {
    if (this.timer) { clearTimeout(this.timer); this.timer = null; }
    for (let i = 0; i < 1000 && (this.writing || this.queue.length > 0); i++) {
      if (this.writing) await this.writing; else await this.writeAll();
    }
  }

  async close(): Promise<void> {
    await this.flush();
    this.closed = true;
  }

  /** One batch, on the writer thread when there is one (falling back to the main thread if it died). */
  private async insert(rows: RequestDetailRow[]): Promise<void> {
    if (rows.length === 0) return;
    const thread = this.thread;
    if (thread?.alive) {
      try {
        await thread.appendDetails(flattenDetailRows(rows));
        return;
      } catch (err) {
        if (!(err instanceof LedgerThreadDied)) throw err; // rolled back: logged and dropped like a failed insert
      }
    }
    this.thread = null;
    // Unknown whether the thread inserted the batch before it died: a stored request id keeps its row.
    await this.repo.insertMany(rows);
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
      await this.insert(this.rowsOf(batch));
    } catch (err) {
      this.log.error({ err, entries: batch.length }, 'request log: could not write request detail; dropped');
    }
  }

  private writeAll(): Promise<void> {
    if (this.writing) return this.writing;
    this.writing = (async () => {
      while (this.queue.length > 0) {
        if (!this.thread) {
          await this.writeBatch(this.queue.splice(0, this.maxBatch));
          continue;
        }
        // On the writer thread: every queued batch is posted at once (the thread inserts them in
        // order), so no batch waits for the round trip of the one before it. Posted entries still
        // count against maxPending until the thread reports them written.
        const posted: Promise<void>[] = [];
        while (this.queue.length > 0) {
          const batch = this.queue.splice(0, this.maxBatch);
          this.posted += batch.length;
          posted.push(this.writeBatch(batch).finally(() => { this.posted -= batch.length; }));
        }
        await Promise.all(posted);
      }
      if (this.dropped > 0) { this.log.warn({ dropped: this.dropped }, 'request log: detail queue full; detail of some requests not kept'); this.dropped = 0; }
    })().finally(() => { this.writing = null; });
    return this.writing;
  }
}
