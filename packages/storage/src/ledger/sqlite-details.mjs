// Plain ESM on purpose (like sqlite-append.mjs): used by the ledger writer thread, which runs
// without a TypeScript loader, and typed for the TypeScript side by sqlite-details.d.mts.

/** request_details columns in insert order (migration 0048). */
export const REQUEST_DETAIL_COLUMNS = [
  'request_id', 'app_id', 'at', 'method', 'path', 'query', 'request_headers', 'request_body', 'request_body_bytes',
  'request_body_truncated', 'response_status', 'response_headers', 'response_body', 'response_body_bytes', 'response_body_truncated',
];

const WIDTH = REQUEST_DETAIL_COLUMNS.length;
/** Rows per prepared multi-row INSERT at most: the writer's batch size (15 parameters each, far below SQLite's limit). */
const CHUNK = 200;

/** Rows → one flat array of column values in REQUEST_DETAIL_COLUMNS order (cheap to post to a thread). */
export function flattenDetailRows(rows) {
  const params = new Array(rows.length * WIDTH);
  let p = 0;
  for (const r of rows) {
    params[p++] = r.request_id; params[p++] = r.app_id; params[p++] = r.at; params[p++] = r.method; params[p++] = r.path;
    params[p++] = r.query; params[p++] = r.request_headers; params[p++] = r.request_body; params[p++] = r.request_body_bytes;
    params[p++] = r.request_body_truncated; params[p++] = r.response_status; params[p++] = r.response_headers;
    params[p++] = r.response_body; params[p++] = r.response_body_bytes; params[p++] = r.response_body_truncated;
  }
  return params;
}

const cache = new WeakMap();

/** The prepared INSERT of `n` rows on `raw` (a request id already stored at that time keeps its row; migration 0059). */
function insertStatement(raw, n) {
  let byCount = cache.get(raw);
  if (!byCount) { byCount = new Map(); cache.set(raw, byCount); }
  let st = byCount.get(n);
  if (!st) {
    const tuple = `(${REQUEST_DETAIL_COLUMNS.map(() => '?').join(', ')})`;
    st = raw.prepare(`insert into request_details (${REQUEST_DETAIL_COLUMNS.join(', ')}) values ${Array.from({ length: n }, () => tuple).join(', ')} on conflict (at, request_id) do nothing`);
    byCount.set(n, st);
  }
  return st;
}

/** Inserts flattened rows (flattenDetailRows) in one transaction: all of them or, on error, none. */
export function insertDetailsFlat(raw, params) {
  if (params.length % WIDTH !== 0) throw new Error('request detail rows: parameter count is not a whole number of rows');
  const rows = params.length / WIDTH;
  raw.transaction(() => {
    for (let at = 0; at < rows; at += CHUNK) {
      const n = Math.min(CHUNK, rows - at);
      insertStatement(raw, n).run(params.slice(at * WIDTH, (at + n) * WIDTH));
    }
  })();
}
