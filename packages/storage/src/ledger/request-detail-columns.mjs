// Plain ESM on purpose (like sqlite-details.mjs): request detail crosses to the ledger writer
// thread as received, and the thread masks and caps it there, off the main thread.
//
// Raw columns: per request the 15 request_details columns (REQUEST_DETAIL_COLUMNS) in order, as
// handed over: `query` unmasked, both header columns the header objects, both body columns the
// body (a parsed request body, text, or null), each `*_bytes` column null (or the byte length
// when the body was a Buffer, which crosses as its UTF-8 text) and each `*_truncated` column null.
// completeDetailColumns turns them into the stored columns (flattenDetailRows's layout).
import { Buffer } from 'node:buffer';
import { captureBody, maskHeaders, maskQuery } from './request-detail-mask.mjs';
import { REQUEST_DETAIL_COLUMNS } from './sqlite-details.mjs';

const WIDTH = REQUEST_DETAIL_COLUMNS.length;

const headerOf = (h, name) => { const v = h?.[name]; return typeof v === 'string' ? v : undefined; };

/** Appends one handed-over request (RequestDetail) to `params` as its raw columns; cheap: no masking, no copies. */
export function pushRawDetail(params, d) {
  const q = d.url.indexOf('?');
  const reqBody = d.requestBody;
  const resBody = d.responseBody;
  const reqBuf = Buffer.isBuffer(reqBody);
  const resBuf = Buffer.isBuffer(resBody);
  params.push(
    d.requestId, d.appId, d.at, d.method, q < 0 ? d.url : d.url.slice(0, q), q < 0 ? '' : d.url.slice(q + 1),
    d.requestHeaders, reqBuf ? reqBody.toString('utf8') : reqBody ?? null, reqBuf ? reqBody.length : null, null,
    // A response payload that is neither text nor a Buffer (a stream) is not kept.
    d.status, d.responseHeaders, typeof resBody === 'string' ? resBody : resBuf ? resBody.toString('utf8') : null, resBuf ? resBody.length : null, null,
  );
}

/**
 * Raw columns → the stored columns: query, headers and bodies masked, bodies capped and measured.
 * A request whose detail cannot be captured is left out and reported to `onSkip`.
 */
export function completeDetailColumns(params, onSkip) {
  if (params.length % WIDTH !== 0) throw new Error('request detail columns: parameter count is not a whole number of rows');
  const out = [];
  for (let i = 0; i < params.length; i += WIDTH) {
    try {
      const reqHeaders = params[i + 6] ?? {};
      const resHeaders = params[i + 11] ?? {};
      const req = captureBody(params[i + 7], headerOf(reqHeaders, 'content-type'), undefined, params[i + 8] ?? undefined);
      const res = captureBody(params[i + 12], headerOf(resHeaders, 'content-type'), undefined, params[i + 13] ?? undefined);
      out.push(
        params[i], params[i + 1], params[i + 2], params[i + 3], params[i + 4], maskQuery(params[i + 5]),
        JSON.stringify(maskHeaders(reqHeaders)), req.body, req.bytes, req.truncated ? 1 : 0,
        params[i + 10], JSON.stringify(maskHeaders(resHeaders)), res.body, res.bytes, res.truncated ? 1 : 0,
      );
    } catch (err) {
      onSkip?.(params[i], err);
    }
  }
  return out;
}

/** Stored columns of one row (flattenDetailRows's layout) → the row object. */
export function detailRowOf(params, at = 0) {
  const row = {};
  for (let c = 0; c < WIDTH; c++) row[REQUEST_DETAIL_COLUMNS[c]] = params[at + c];
  return row;
}
