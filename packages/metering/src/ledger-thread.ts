import { Worker } from 'node:worker_threads';
import { LEDGER_WORKER_URL, flattenLedgerRows, type CounterDelta, type LedgerRow } from '@opencar/storage';

/** The writer thread ended (crash, exit) before reporting a batch: its outcome is unknown. */
export class LedgerThreadDied extends Error {}

/** The batch was rolled back by the writer thread: nothing of it is in the database. */
export class LedgerBatchFailed extends Error {
  constructor(message: string, readonly code?: string) { super(message); }
}

/** A request whose detail the thread could not capture (left out of its batch). */
export interface SkippedDetail { requestId: string; message: string }

type Committed = { id: number; deltas: CounterDelta[]; skipped?: SkippedDetail[] };
interface Waiting { resolve: (m: Committed) => void; reject: (e: Error) => void }
type Reply = Committed | { id: number; error: { message: string; code?: string } };

/**
 * Main-thread handle of the ledger writer thread (packages/storage/src/ledger/ledger-worker.mjs):
 * `append` posts a batch and resolves with its counter deltas once the thread reports the commit.
 * The thread keeps the process alive only while a batch is outstanding.
 */
export class LedgerThread {
  private readonly worker: Worker;
  private readonly waiting = new Map<number, Waiting>();
  private readonly exited: Promise<void>;
  private nextId = 1;
  private died: Error | null = null;

  constructor(path: string, busyTimeoutMs = 5000) {
    // execArgv []: the worker is plain JavaScript and needs none of the parent's loaders.
    this.worker = new Worker(LEDGER_WORKER_URL, { workerData: { path, busyTimeoutMs }, execArgv: [] });
    this.worker.unref();
    this.worker.on('message', (m: Reply) => this.settle(m));
    this.worker.on('error', (err: Error) => this.fail(new LedgerThreadDied(`ledger writer thread failed: ${err.message}`, { cause: err })));
    this.exited = new Promise((resolve) => this.worker.once('exit', (code) => {
      this.fail(new LedgerThreadDied(`ledger writer thread exited (code ${code})`));
      resolve();
    }));
  }

  get alive(): boolean { return this.died === null; }

  /** `seq`: the batch's highest ledger-journal sequence, committed with it. */
  append(rows: LedgerRow[], seq?: number): Promise<CounterDelta[]> {
    // One flat array of primitives clones much faster than an array of row objects.
    return this.post({ params: flattenLedgerRows(rows), seq }).then((m) => m.deltas);
  }

  /**
   * Like `append`, for rows given as their ledger-journal lines (LedgerJournal's format): one
   * string crosses to the thread, which parses it there, off the main thread.
   */
  appendJournalText(text: string, seq?: number): Promise<CounterDelta[]> {
    return this.post({ text, seq }).then((m) => m.deltas);
  }

  /**
   * Request detail given as raw columns (pushRawDetail): the thread masks and caps it, then
   * inserts the rows in one transaction, after the batches already posted; resolves once committed
   * (LedgerBatchFailed: none was) with the requests it could not capture and left out. They cross
   * as one JSON string: cloning one string costs the main thread far less than cloning thousands of
   * values, and masking there keeps it off the request path's thread.
   */
  async appendDetails(params: unknown[]): Promise<SkippedDetail[]> {
    return (await this.post({ details: JSON.stringify(params) })).skipped ?? [];
  }

  private post(msg: { params: unknown[]; seq?: number } | { text: string; seq?: number } | { details: string }): Promise<Committed> {
    if (this.died) return Promise.reject(this.died);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      if (this.waiting.size === 0) this.worker.ref();
      this.waiting.set(id, { resolve, reject });
      this.worker.postMessage({ id, ...msg });
    });
  }

  /** Ends the thread after the batches already posted (call once the writer drained). */
  async close(): Promise<void> {
    if (!this.died) this.worker.postMessage({ close: true });
    this.worker.ref();
    const timeout = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 5000).unref());
    if (await Promise.race([this.exited.then(() => 'exited' as const), timeout]) === 'timeout') await this.worker.terminate();
  }

  private settle(m: Reply): void {
    const w = this.waiting.get(m.id);
    if (!w) return;
    this.waiting.delete(m.id);
    if (this.waiting.size === 0) this.worker.unref();
    if ('error' in m) w.reject(new LedgerBatchFailed(m.error.message, m.error.code));
    else w.resolve(m);
  }

  private fail(err: Error): void {
    this.died ??= err;
    for (const w of this.waiting.values()) w.reject(err);
    this.waiting.clear();
  }
}
