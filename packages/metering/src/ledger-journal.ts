import { closeSync, existsSync, ftruncateSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import type { Logger } from 'pino';
import { LEDGER_COLUMNS, type LedgerRow } from '@opencar/storage';

export interface JournaledRow { seq: number; row: LedgerRow }

export interface LedgerJournalOptions {
  /** Rotate the journal into `<path>.1` once it exceeds this many bytes (default 8 MiB). */
  segmentBytes?: number;
  /** When every written entry is committed and the journal exceeds this many bytes, truncate it (default 256 KiB). */
  truncateBytes?: number;
}

/**
 * Receives each written group: its entries in sequence order and their exact journal text
 * (`text`, one line per entry), or `null` as text when the journal write failed; the group is then
 * acknowledged only once the returned promise resolves (the database commit).
 */
export type JournalSink = (entries: JournaledRow[], text: string | null) => Promise<void>;

/**
 * Append-only journal of the request ledger, next to a SQLite database file. `append` assigns the
 * entry the next sequence number and adds it to the current group; right after the event-loop
 * turn ONE `writeSync` writes the whole group (one compact JSON line per entry: `[seq, ...columns]`),
 * then every `append` of the group resolves (they share one promise) and the group is handed to
 * `sink` (the database commit, which stores the highest committed sequence in `ledger_meta`).
 *
 * Durability bound: a written group is in the OS page cache, which survives the process being
 * killed (SIGKILL, crash) but not an OS crash or power loss: there is no fsync, so those can lose
 * the entries not yet written back by the kernel (Linux: dirty pages older than
 * vm.dirty_expire_centisecs, 30 s by default, are flushed by the next writeback pass every 5 s)
 * and not yet committed to the database.
 *
 * Files: `<path>` (current) and `<path>.1` (previous segment, deleted once fully committed).
 */
export class LedgerJournal {
  private fd: number | null = null;
  private group: JournaledRow[] = [];
  /** Resolves the current group's shared promise (null when no group is open). */
  private resolveGroup: (() => void) | null = null;
  private groupWritten: Promise<void> | null = null;
  private timer: NodeJS.Immediate | null = null;
  private nextSeq = 1;
  private lastWritten = 0;
  private committedSeq = 0;
  private bytes = 0;
  /** Highest sequence in `<path>.1`; 0 when there is no previous segment. */
  private oldMax = 0;
  /** The last write failed part-way: start the next one on a fresh line. */
  private torn = false;
  private readonly segmentBytes: number;
  private readonly truncateBytes: number;

  constructor(
    readonly path: string,
    private readonly sink: JournalSink,
    private readonly log: Logger,
    opts: LedgerJournalOptions = {},
  ) {
    this.segmentBytes = opts.segmentBytes ?? 8 * 1024 * 1024;
    this.truncateBytes = opts.truncateBytes ?? 256 * 1024;
  }

  /**
   * Reads the journal files and returns the entries with a sequence above `committed` (the
   * database's `journal_seq`), in sequence order. Call before any `append`; after replaying them
   * in one transaction that stores their highest sequence, call `reset`.
   */
  recover(committed: number): JournaledRow[] {
    const found = new Map<number, LedgerRow>();
    let max = committed;
    for (const file of [`${this.path}.1`, this.path]) {
      if (!existsSync(file)) continue;
      for (const line of readFileSync(file, 'utf8').split('\n')) {
        const parsed = parseLine(line);
        if (!parsed) continue; // empty, or a line torn by a crash mid-write (never acknowledged)
        if (parsed.seq > max) max = parsed.seq;
        if (parsed.seq > committed) found.set(parsed.seq, parsed.row);
      }
    }
    this.nextSeq = max + 1;
    this.committedSeq = committed;
    return [...found.entries()].sort((a, b) => a[0] - b[0]).map(([seq, row]) => ({ seq, row }));
  }

  /** Empties the journal (everything in it is committed) and opens it for appending. */
  reset(): void {
    if (existsSync(`${this.path}.1`)) unlinkSync(`${this.path}.1`);
    this.oldMax = 0;
    this.fd = openSync(this.path, 'w');
    closeSync(this.fd);
    this.fd = openSync(this.path, 'a');
    this.bytes = 0;
    this.lastWritten = this.nextSeq - 1;
  }

  /** Sequence the next `append` gets. */
  peekSeq(): number { return this.nextSeq; }

  /** Adds an entry to the current group; resolves once the group is written to the journal. */
  append(row: LedgerRow): { seq: number; written: Promise<void> } {
    const seq = this.nextSeq++;
    this.group.push({ seq, row });
    if (!this.groupWritten) {
      this.groupWritten = new Promise<void>((resolve) => { this.resolveGroup = resolve; });
      this.timer = setImmediate(() => { this.timer = null; this.writeGroup(); });
    }
    return { seq, written: this.groupWritten };
  }

  /** Writes the current group now (used by flush and close). */
  writeNow(): void {
    if (this.timer) { clearImmediate(this.timer); this.timer = null; }
    this.writeGroup();
  }

  /** The database committed every entry up to `seq`: drop journal space that is no longer needed. */
  committed(seq: number): void {
    if (seq > this.committedSeq) this.committedSeq = seq;
    try {
      if (this.oldMax > 0 && this.committedSeq >= this.oldMax) {
        unlinkSync(`${this.path}.1`);
        this.oldMax = 0;
      }
      if (this.fd !== null && this.group.length === 0 && this.committedSeq >= this.lastWritten && this.bytes > this.truncateBytes) {
        ftruncateSync(this.fd, 0);
        this.bytes = 0;
      }
    } catch (err) {
      this.log.warn({ err }, 'ledger journal: could not reclaim space');
    }
  }

  /** Writes what is pending; truncates the journal when everything in it is committed. */
  close(): void {
    this.writeNow();
    if (this.fd === null) return;
    if (this.committedSeq >= this.lastWritten && this.oldMax === 0) ftruncateSync(this.fd, 0);
    closeSync(this.fd);
    this.fd = null;
  }

  private writeGroup(): void {
    const group = this.group;
    const resolve = this.resolveGroup;
    if (group.length === 0 || !resolve) return;
    this.group = [];
    this.groupWritten = null;
    this.resolveGroup = null;
    let text = '';
    for (const w of group) text += journalLine(w.seq, w.row);
    try {
      if (this.fd === null) throw new Error('ledger journal is not open');
      const buf = Buffer.from(this.torn ? `\n${text}` : text, 'utf8');
      this.torn = true;
      for (let off = 0; off < buf.length;) off += writeSync(this.fd, buf, off, buf.length - off);
      this.torn = false;
      this.bytes += buf.length;
      this.lastWritten = group[group.length - 1]!.seq;
    } catch (err) {
      // Not in the journal: the group is acknowledged only once its database commit is done.
      this.log.error({ err, entries: group.length }, 'ledger journal write failed; acknowledging these entries after their database commit');
      void this.sink(group, null).then(resolve);
      return;
    }
    void this.sink(group, text);
    resolve();
    this.rotateIfLarge();
  }

  private rotateIfLarge(): void {
    if (this.bytes < this.segmentBytes || this.oldMax > 0 || this.fd === null) return;
    try {
      closeSync(this.fd);
      this.fd = null;
      renameSync(this.path, `${this.path}.1`);
      this.oldMax = this.lastWritten;
      this.bytes = 0;
    } catch (err) {
      this.log.warn({ err }, 'ledger journal: rotation failed');
    }
    this.fd = openSync(this.path, 'a');
    if (this.oldMax > 0 && this.committedSeq >= this.oldMax) this.committed(this.committedSeq);
  }
}

/** Strings that are valid JSON between two quotes as they are: printable ASCII except the quote and the backslash. */
const PLAIN = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;
const str = (v: string | null): string => (v === null ? 'null' : PLAIN.test(v) ? `"${v}"` : JSON.stringify(v));
const num = (v: number): string => (Number.isFinite(v) ? String(v) : 'null');

/**
 * One journal line: `[seq, ...LEDGER_COLUMNS]` as compact JSON, byte for byte what JSON.stringify
 * gives for that array (the writer thread parses the same lines), built without the intermediate
 * array: plain ids and endpoints, nearly every value, need no escaping.
 */
export function journalLine(seq: number, r: LedgerRow): string {
  return `[${seq},${str(r.request_id)},${num(r.at)},${str(r.month)},${str(r.app_id)},${str(r.vehicle_id)},${str(r.user_id)},${str(r.endpoint)},${str(r.method)},${num(r.status)},${num(r.latency_ms)},${num(r.units)},${num(r.woke)},${str(r.request_class)}]\n`;
}

function parseLine(line: string): JournaledRow | null {
  if (line.length === 0) return null;
  let v: unknown;
  try { v = JSON.parse(line); } catch { return null; }
  if (!Array.isArray(v) || v.length !== LEDGER_COLUMNS.length + 1 || typeof v[0] !== 'number') return null;
  const [seq, request_id, at, month, app_id, vehicle_id, user_id, endpoint, method, status, latency_ms, units, woke, request_class] = v as [number, string, number, string, string, string | null, string | null, string, string, number, number, number, number, string];
  return { seq, row: { request_id, at, month, app_id, vehicle_id, user_id, endpoint, method, status, latency_ms, units, woke, request_class } };
}
