// Plain ESM on purpose: this file is loaded both by the main thread (through the TypeScript repo)
// and by ledger-worker.mjs, which runs in a worker thread without any TypeScript loader.

/** Ledger columns in insert order (the SQLite `seq` rowid is assigned by SQLite). */
export const LEDGER_COLUMNS = ['request_id', 'at', 'month', 'app_id', 'vehicle_id', 'user_id', 'endpoint', 'method', 'status', 'latency_ms', 'units', 'woke', 'request_class'];

/** Rows per prepared multi-row INSERT (13 parameters each, far below SQLite's limit). */
const CHUNK = 64;

/** Sums units per (app, month, scope): '' for the app, the vehicle id for the vehicle. */
export function counterDeltas(rows, inserted) {
  const deltas = new Map();
  const add = (appId, month, scope, units) => {
    const k = `${appId}\u0000${month}\u0000${scope}`;
    const d = deltas.get(k);
    if (d) d.units += units; else deltas.set(k, { appId, month, scope, units });
  };
  for (const r of rows) {
    if (r.units <= 0 || (inserted && !inserted(r.request_id))) continue;
    add(r.app_id, r.month, '', r.units);
    if (r.vehicle_id) add(r.app_id, r.month, r.vehicle_id, r.units);
  }
  return [...deltas.values()];
}

const cache = new WeakMap();

function statements(raw) {
  let s = cache.get(raw);
  if (!s) {
    s = {
      inserts: new Map(),
      bump: raw.prepare('insert into usage_counters (app_id, month, scope, units) values (?, ?, ?, ?) on conflict (app_id, month, scope) do update set units = usage_counters.units + excluded.units returning units').pluck(),
      last: raw.prepare('select request_id from ledger order by seq desc limit 1').pluck(),
      mark: raw.prepare("insert into ledger_meta (key, value) values ('journal_seq', ?) on conflict (key) do update set value = max(ledger_meta.value, excluded.value)"),
      committed: raw.prepare("select value from ledger_meta where key = 'journal_seq'").pluck(),
    };
    cache.set(raw, s);
  }
  return s;
}

function insertStatement(raw, s, n) {
  let st = s.inserts.get(n);
  if (!st) {
    const tuple = `(${LEDGER_COLUMNS.map(() => '?').join(', ')})`;
    st = raw.prepare(`insert into ledger (${LEDGER_COLUMNS.join(', ')}) values ${Array.from({ length: n }, () => tuple).join(', ')}`);
    s.inserts.set(n, st);
  }
  return st;
}

const WIDTH = LEDGER_COLUMNS.length;

/** Rows → one flat array of column values in LEDGER_COLUMNS order (cheap to post to a thread). */
export function flattenLedgerRows(rows) {
  const params = new Array(rows.length * WIDTH);
  let p = 0;
  for (const r of rows) {
    params[p++] = r.request_id; params[p++] = r.at; params[p++] = r.month; params[p++] = r.app_id;
    params[p++] = r.vehicle_id; params[p++] = r.user_id; params[p++] = r.endpoint; params[p++] = r.method;
    params[p++] = r.status; params[p++] = r.latency_ms; params[p++] = r.units; params[p++] = r.woke; params[p++] = r.request_class;
  }
  return params;
}

/**
 * Ledger-journal lines (`[seq, ...LEDGER_COLUMNS]` as JSON, each ending in a newline) → the flat
 * array of flattenLedgerRows. JSON never holds a raw newline inside a value, so the lines are
 * parsed as one JSON array.
 */
export function journalTextToParams(text) {
  const lines = JSON.parse(`[${text.slice(0, text.endsWith('\n') ? -1 : undefined).replaceAll('\n', ',')}]`);
  const params = new Array(lines.length * WIDTH);
  let p = 0;
  for (const line of lines) for (let c = 1; c <= WIDTH; c++) params[p++] = line[c];
  return params;
}

/** Counter deltas of flattened rows (every row counted). */
function flatDeltas(params) {
  const deltas = new Map();
  const add = (appId, month, scope, units) => {
    const k = `${appId}\u0000${month}\u0000${scope}`;
    const d = deltas.get(k);
    if (d) d.units += units; else deltas.set(k, { appId, month, scope, units });
  };
  for (let i = 0; i < params.length; i += WIDTH) {
    const units = params[i + 10];
    if (units <= 0) continue;
    add(params[i + 3], params[i + 2], '', units);
    if (params[i + 4]) add(params[i + 3], params[i + 2], params[i + 4], units);
  }
  return [...deltas.values()];
}

/**
 * Appends ledger rows (flattened, see flattenLedgerRows) to a SQLite database in ONE immediate
 * transaction (plain multi-row INSERTs into the time-ordered `ledger`, every row counted) and
 * adds their units to `usage_counters`. Returns the counter deltas, each with `total`: the
 * counter's value right after this commit. Throws (and rolls back) on failure: the outcome is
 * always definite. `journalSeq` (ledger journal, SQLite file): the highest journal sequence in the
 * batch, stored in `ledger_meta` in the same transaction.
 */
export function appendLedgerFlat(raw, params, journalSeq) {
  const s = statements(raw);
  const rows = params.length / WIDTH;
  return raw.transaction(() => {
    for (let i = 0; i < rows; i += CHUNK) {
      const n = Math.min(CHUNK, rows - i);
      const st = insertStatement(raw, s, n);
      st.run(i === 0 && n === rows ? params : params.slice(i * WIDTH, (i + n) * WIDTH));
    }
    const deltas = flatDeltas(params);
    for (const d of deltas) d.total = Number(s.bump.get(d.appId, d.month, d.scope, d.units));
    if (journalSeq != null) s.mark.run(journalSeq);
    return deltas;
  }).immediate();
}

/** appendLedgerFlat for row objects. */
export function appendLedgerSqlite(raw, rows, journalSeq) {
  return appendLedgerFlat(raw, flattenLedgerRows(rows), journalSeq);
}

/** Highest journal sequence committed to the ledger (0 when none). */
export function committedJournalSeq(raw) {
  return Number(statements(raw).committed.get() ?? 0);
}

/** Request id of the most recently appended ledger row (undefined when the ledger is empty). */
export function lastLedgerRequestId(raw) {
  return statements(raw).last.get();
}
