import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import type SqliteDatabase from 'better-sqlite3';
import { CHECKPOINT_WORKER_SOURCE } from './checkpoint-worker.js';

export interface CheckpointerOptions {
  /** How often the thread looks for new commits (default 20 ms). */
  intervalMs?: number;
  /** The longest it waits between looks while nothing is committed: the wait doubles up to this (default 320 ms). */
  idleIntervalMs?: number;
  /** WAL size past which it is started over (RESTART) and, once commits pause, emptied (TRUNCATE) (default 64 MiB). */
  truncateBytes?: number;
  /** How long a RESTART or TRUNCATE waits for writers and readers before trying again later (default 20 ms). */
  busyTimeoutMs?: number;
  /**
   * WAL size at which the main connection checkpoints by itself after its commits, should the thread fall behind (too
   * little of a core, commits that never pause long enough for a RESTART); default 4 × truncateBytes.
   */
  backstopBytes?: number;
  /** wal_autocheckpoint the main connection returns to when the thread ends (default 1000 pages, SQLite's own default). */
  fallbackAutocheckpoint?: number;
}

/** What the thread has done so far; log and checkpointed: WAL frames at its last checkpoint. */
export interface CheckpointStats {
  /** Times the thread looked for new commits. */
  rounds: number;
  passive: number;
  restart: number;
  truncate: number;
  busy: number;
  log: number;
  checkpointed: number;
  /** Longest checkpoint of each kind so far (RESTART and TRUNCATE hold off writers that long). */
  passiveMaxMs: number;
  restartMaxMs: number;
  truncateMaxMs: number;
}

const driverPath = createRequire(import.meta.url).resolve('better-sqlite3');

/**
 * WAL checkpoints of a SQLite file on a thread of their own, with a second connection, so the
 * thread that commits never copies WAL frames into the database file or waits for that file's
 * fsync. The main connection's wal_autocheckpoint is raised to `backstopBytes` of pages, a
 * backstop it reaches only if the thread falls behind (its own checkpoint after a commit then
 * lets the next commit start the WAL over), and set back to `fallbackAutocheckpoint` as soon as
 * the thread ends for any reason other than close(), so the WAL never grows unchecked. The thread does not keep the process alive, except while close()
 * waits for it to finish.
 */
export class Checkpointer {
  readonly thread: Worker;
  private readonly exited: Promise<void>;
  private readonly waiting: Array<(s: CheckpointStats | undefined) => void> = [];
  private ended = false;
  private closing = false;

  constructor(private readonly main: SqliteDatabase.Database, path: string, opts: CheckpointerOptions = {}) {
    const fallback = opts.fallbackAutocheckpoint ?? 1000;
    const truncateBytes = opts.truncateBytes ?? 64 * 1024 * 1024;
    const pageSize = main.pragma('page_size', { simple: true }) as number;
    main.pragma(`wal_autocheckpoint = ${Math.max(1, Math.ceil((opts.backstopBytes ?? 4 * truncateBytes) / pageSize))}`);
    this.thread = new Worker(CHECKPOINT_WORKER_SOURCE, {
      eval: true,
      // Plain JavaScript: none of the parent's loaders are needed.
      execArgv: [],
      workerData: { driver: driverPath, path: resolve(path), intervalMs: opts.intervalMs ?? 20, idleIntervalMs: opts.idleIntervalMs ?? 320, truncateBytes, busyTimeoutMs: opts.busyTimeoutMs ?? 20 },
    });
    this.thread.on('message', (m: { stats: CheckpointStats }) => this.waiting.shift()?.(m.stats));
    let failure: string | undefined;
    this.thread.on('error', (err: Error & { code?: string }) => { failure = `${err.message}${err.code ? ` (${err.code})` : ''}`; });
    this.exited = new Promise((done) => this.thread.once('exit', (code) => {
      this.ended = true;
      if (main.open) main.pragma(`wal_autocheckpoint = ${fallback}`);
      for (const w of this.waiting.splice(0)) w(undefined);
      if (!this.closing) {
        process.emitWarning(`the WAL checkpoint thread of ${path} ended (${failure ?? `exit code ${code}`}); the main connection checkpoints by itself again (wal_autocheckpoint=${fallback})`, 'OpencarStorageWarning');
      }
      done();
    }));
    // After the listeners: adding a 'message' listener refs the thread's port again.
    this.thread.unref();
  }

  /** False once the thread has ended (the main connection then checkpoints by itself). */
  get alive(): boolean { return !this.ended; }

  /** The thread's counts, or undefined when it has ended. */
  stats(): Promise<CheckpointStats | undefined> {
    if (this.ended) return Promise.resolve(undefined);
    return new Promise((done) => {
      this.thread.ref();
      this.waiting.push((s) => {
        if (this.waiting.length === 0 && !this.closing) this.thread.unref();
        done(s);
      });
      this.thread.postMessage('stats');
    });
  }

  /** Ends the thread (its connection closed) and resolves once it has; ref'd meanwhile so the process waits for it. */
  async close(): Promise<void> {
    this.closing = true;
    if (this.ended) return;
    this.thread.ref();
    this.thread.postMessage('close');
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((r) => { timer = setTimeout(() => r('timeout'), 5000); });
    const outcome = await Promise.race([this.exited.then(() => 'exited' as const), timeout]);
    clearTimeout(timer);
    if (outcome === 'timeout') {
      await this.thread.terminate();
      await this.exited;
    }
  }
}
