/**
 * Source of the WAL checkpoint thread (run by checkpointer.ts as an eval'd CommonJS worker, so it
 * needs no file of its own beside a bundle and no TypeScript loader). workerData: { driver (path of
 * better-sqlite3), path, intervalMs, truncateBytes, busyTimeoutMs }.
 *
 * The thread opens its own connection to the SQLite file and, every intervalMs, asks
 * `pragma data_version` whether another connection committed since it last looked. When one did
 * (or the last checkpoint left frames behind), it runs a PASSIVE checkpoint, which copies committed
 * WAL frames into the database file without waiting for or blocking anyone; when the WAL file has
 * grown past truncateBytes (readers kept it from being reused), a TRUNCATE checkpoint instead, which
 * waits at most busyTimeoutMs for writers and readers and then empties the file.
 * Protocol: main → thread 'stats' → main { stats }; main → thread 'close': close the connection and end.
 */
export const CHECKPOINT_WORKER_SOURCE = String.raw`'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const { statSync } = require('node:fs');
const Database = require(workerData.driver);
const { path, intervalMs, truncateBytes, busyTimeoutMs } = workerData;
// A SqliteError reaches the main thread without its message; a plain Error keeps it.
const plain = (err) => Object.assign(new Error(String(err && err.message || err)), { code: err && err.code });
let db, dataVersion, passive, truncate;
try {
  db = new Database(path, { fileMustExist: true });
  db.pragma('busy_timeout = ' + Number(busyTimeoutMs));
  dataVersion = db.prepare('pragma data_version').pluck();
  passive = db.prepare('pragma wal_checkpoint(PASSIVE)');
  truncate = db.prepare('pragma wal_checkpoint(TRUNCATE)');
} catch (err) {
  throw plain(err);
}
const walPath = path + '-wal';
const stats = { passive: 0, truncate: 0, busy: 0, log: 0, checkpointed: 0 };
const walBytes = () => { try { return statSync(walPath).size; } catch { return 0; } };
let seen = -1;
let pending = true;
function check() {
  const version = dataVersion.get();
  if (version === seen && !pending) return;
  seen = version;
  const full = walBytes() > truncateBytes;
  const r = (full ? truncate : passive).get();
  if (full) stats.truncate++; else stats.passive++;
  if (r.busy !== 0) stats.busy++;
  stats.log = r.log;
  stats.checkpointed = r.checkpointed;
  pending = r.busy !== 0 || r.checkpointed < r.log;
}
const timer = setInterval(() => { try { check(); } catch (err) { throw plain(err); } }, intervalMs);
parentPort.on('message', (msg) => {
  if (msg === 'stats') {
    parentPort.postMessage({ stats });
  } else if (msg === 'close') {
    clearInterval(timer);
    db.close();
    parentPort.close();
  }
});
`;
