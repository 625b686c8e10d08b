/**
 * Source of the WAL checkpoint thread (run by checkpointer.ts as an eval'd CommonJS worker, so it
 * needs no file of its own beside a bundle and no TypeScript loader). workerData: { driver (path of
 * better-sqlite3), path, intervalMs, idleIntervalMs, truncateBytes, busyTimeoutMs }.
 *
 * The thread opens its own connection to the SQLite file and, every intervalMs (up to idleIntervalMs
 * while nothing happens), asks `pragma data_version` whether another connection committed since it
 * last looked. When one did
 * (or the last checkpoint left frames behind), it runs a PASSIVE checkpoint, which copies committed
 * WAL frames into the database file without waiting for or blocking anyone.
 *
 * SQLite starts the WAL over only when a write transaction begins after every frame was copied,
 * which a connection that commits without pause never does (nor while a reader holds an old
 * snapshot), so the WAL can outgrow truncateBytes. Then:
 * - while commits go on, once a PASSIVE has copied all but what was committed meanwhile and the
 *   WAL holds more than truncateBytes of frames, a RESTART: it holds off writers while it copies the
 *   few frames committed since and makes the next commit start the WAL from its beginning, so the
 *   file grows no further;
 * - once no commit came for a round, a TRUNCATE empties the file (truncating a large file takes tens
 *   of milliseconds, better spent while nobody waits to write).
 * Both wait at most busyTimeoutMs for the write lock and for readers, and are tried again later,
 * backing off while they keep finding something in their way.
 * Protocol: main → thread 'stats' → main { stats }; main → thread 'close': close the connection and end.
 */
export const CHECKPOINT_WORKER_SOURCE = String.raw`'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const { statSync } = require('node:fs');
const Database = require(workerData.driver);
const { path, intervalMs, idleIntervalMs, truncateBytes, busyTimeoutMs } = workerData;
// A SqliteError reaches the main thread without its message; a plain Error keeps it.
const plain = (err) => Object.assign(new Error(String(err && err.message || err)), { code: err && err.code });
let db, dataVersion, passive, restart, truncate, frameBytes;
try {
  db = new Database(path, { fileMustExist: true });
  db.pragma('busy_timeout = ' + Number(busyTimeoutMs));
  dataVersion = db.prepare('pragma data_version').pluck();
  passive = db.prepare('pragma wal_checkpoint(PASSIVE)');
  restart = db.prepare('pragma wal_checkpoint(RESTART)');
  truncate = db.prepare('pragma wal_checkpoint(TRUNCATE)');
  frameBytes = db.pragma('page_size', { simple: true }) + 24;
} catch (err) {
  throw plain(err);
}
const walPath = path + '-wal';
const stats = { rounds: 0, passive: 0, restart: 0, truncate: 0, busy: 0, log: 0, checkpointed: 0, passiveMaxMs: 0, restartMaxMs: 0, truncateMaxMs: 0 };
const walBytes = () => { try { return statSync(walPath).size; } catch { return 0; } };
function run(kind, stmt) {
  const t0 = performance.now();
  const r = stmt.get();
  const ms = performance.now() - t0;
  stats[kind]++;
  if (ms > stats[kind + 'MaxMs']) stats[kind + 'MaxMs'] = ms;
  if (r.busy !== 0) stats.busy++;
  stats.log = r.log;
  stats.checkpointed = r.checkpointed;
  return r;
}
let seen = -1;
let pending = true;
let oversized = false;
// RESTART and TRUNCATE hold off writers for up to busyTimeoutMs while something is in their way
// (commits, a reader on the WAL): after one gave up, neither is tried for 100 ms, doubling up to 2 s
// while they keep giving up.
let blockingAfter = 0;
let backoffMs = 0;
function blocking(kind, stmt) {
  const r = run(kind, stmt);
  backoffMs = r.busy === 0 ? 0 : Math.min(2000, Math.max(100, 2 * backoffMs));
  blockingAfter = performance.now() + backoffMs;
  return r;
}
function check() {
  const version = dataVersion.get();
  const committed = version !== seen;
  if (!committed && !pending && !oversized) return false;
  seen = version;
  const mayBlock = performance.now() >= blockingAfter;
  let r;
  if (!committed && !pending) {
    if (!mayBlock) return true;
    r = blocking('truncate', truncate);
  } else {
    r = run('passive', passive);
    if (mayBlock && r.busy === 0 && r.checkpointed === r.log && r.log * frameBytes > truncateBytes) r = blocking('restart', restart);
  }
  pending = r.busy !== 0 || r.checkpointed < r.log;
  oversized = walBytes() > truncateBytes;
  return true;
}
// Every intervalMs while there is work; while there is none, the wait doubles up to idleIntervalMs,
// so an idle server's thread wakes a few times a second rather than fifty.
let delay = intervalMs;
let timer;
const round = () => {
  let busy;
  stats.rounds++;
  try { busy = check(); } catch (err) { throw plain(err); }
  delay = busy ? intervalMs : Math.min(idleIntervalMs, 2 * delay);
  timer = setTimeout(round, delay);
};
timer = setTimeout(round, delay);
parentPort.on('message', (msg) => {
  if (msg === 'stats') {
    parentPort.postMessage({ stats });
  } else if (msg === 'close') {
    clearTimeout(timer);
    db.close();
    parentPort.close();
  }
});
`;
