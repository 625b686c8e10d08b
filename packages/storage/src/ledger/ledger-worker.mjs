// Ledger writer thread (plain ESM: worker threads run without a TypeScript loader).
//
// Owns its own better-sqlite3 connection to the platform's SQLite file and commits the request
// ledger's group-commit batches off the main thread. Protocol (structured-clone messages):
//   main → worker  { id, params, seq? } append rows (flattenLedgerRows) in one transaction;
//                                   seq: highest ledger-journal sequence of the batch (ledger_meta)
//   main → worker  { id, text, seq? }   the same, rows given as ledger-journal lines
//   main → worker  { id, details }  request detail as raw columns (request-detail-columns.mjs, as JSON text):
//                                   masked and capped here, then inserted in one transaction
//   worker → main  { id, deltas }    committed; counter deltas with their new totals ([] for details)
//   worker → main  { id, deltas, skipped }  details committed; skipped: [{ requestId, message }] not captured
//   worker → main  { id, error }     rolled back (nothing of the batch is in the database)
//   main → worker  { close: true }   close the connection and end the thread
// Batches are handled one at a time in arrival order, so reports arrive in commit order.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { appendLedgerFlat, journalTextToParams } from './sqlite-append.mjs';
import { insertDetailsFlat } from './sqlite-details.mjs';
import { completeDetailColumns } from './request-detail-columns.mjs';

const db = new Database(workerData.path);
// Same settings as the main connection (packages/storage/src/open.ts).
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.pragma(`busy_timeout = ${workerData.busyTimeoutMs ?? 5000}`);

parentPort.on('message', (msg) => {
  if (msg.close) {
    db.close();
    parentPort.close();
    return;
  }
  let reply;
  try {
    if (msg.details !== undefined) {
      const skipped = [];
      const rows = completeDetailColumns(JSON.parse(msg.details), (requestId, err) => skipped.push({ requestId, message: err?.message ?? String(err) }));
      if (rows.length > 0) insertDetailsFlat(db, rows);
      reply = { id: msg.id, deltas: [], skipped };
    } else {
      const params = msg.text !== undefined ? journalTextToParams(msg.text) : msg.params;
      reply = { id: msg.id, deltas: appendLedgerFlat(db, params, msg.seq) };
    }
  } catch (err) {
    reply = { id: msg.id, error: { message: err?.message ?? String(err), code: err?.code } };
  }
  parentPort.postMessage(reply);
});
