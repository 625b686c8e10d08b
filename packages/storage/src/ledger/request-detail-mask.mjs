// Plain ESM on purpose (like sqlite-details.mjs): the ledger writer thread masks request detail
// itself, without a TypeScript loader; the main thread uses the same code where there is no
// thread (PostgreSQL, in-memory SQLite, a thread that died). Typed by request-detail-mask.d.mts.
//
// Masking and size-capping of what the request log keeps of a request and its response. Header
// values, query parameters and body fields whose name says they hold a credential are replaced by
// MASK; bodies are pretty-printed JSON when they parse, then cut to BODY_CAP_BYTES.
import { Buffer } from 'node:buffer';
import { URLSearchParams } from 'node:url';

export const MASK = '[masked]';
/** Bytes of each body kept (UTF-8); the rest is dropped and the row says so. */
export const BODY_CAP_BYTES = 16 * 1024;
/** Characters of one header value kept. */
export const HEADER_VALUE_CAP = 1024;
/** Bodies larger than this are not parsed for pretty-printing (only masked as text). */
const PARSE_MAX_BYTES = 1024 * 1024;

/** Header names that always carry credentials. */
const SECRET_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'sc-signature']);
/** Any name (header, field, parameter) that reads like a credential. */
const SECRET_NAME = /token|secret|passw|passphrase|pwd|signature|api[-_]?key|private[-_]?key|credential|session|cookie|authorization|code[-_]?verifier/i;

export const isSecretName = (name) => SECRET_HEADERS.has(name.toLowerCase()) || SECRET_NAME.test(name);

/** Header names seen so far → whether they are secret (the same few dozen names come with every request). */
const headerVerdicts = new Map();
const HEADER_VERDICTS_MAX = 1000;
function isSecretHeader(key) {
  let secret = headerVerdicts.get(key);
  if (secret === undefined) {
    secret = isSecretName(key);
    if (headerVerdicts.size >= HEADER_VERDICTS_MAX) headerVerdicts.clear();
    headerVerdicts.set(key, secret);
  }
  return secret;
}

/** Headers with secret values masked; `Authorization` keeps its scheme (`Bearer [masked]`). */
export function maskHeaders(headers) {
  const out = {};
  for (const name in headers) {
    if (!Object.hasOwn(headers, name)) continue;
    const raw = headers[name];
    if (raw === undefined) continue;
    const value = Array.isArray(raw) ? raw.map(String).join(', ') : String(raw);
    const key = name.toLowerCase();
    if (key === 'authorization' || key === 'proxy-authorization') {
      const scheme = /^(\w+)\s/.exec(value)?.[1];
      out[key] = scheme ? `${scheme} ${MASK}` : MASK;
    } else if (isSecretHeader(key)) out[key] = MASK;
    else out[key] = value.length > HEADER_VALUE_CAP ? `${value.slice(0, HEADER_VALUE_CAP)}…` : value;
  }
  return out;
}

/** A query string (without `?`) with the values of secret parameters masked. */
export function maskQuery(query) {
  if (!query) return '';
  const p = new URLSearchParams(query);
  const out = new URLSearchParams();
  for (const [k, v] of p) out.append(k, isSecretName(k) ? MASK : v);
  return out.toString().replace(/%5Bmasked%5D/g, MASK);
}

/** A JSON value with every field whose name reads like a credential replaced by MASK (depth-bounded). */
export function maskJson(value, depth = 0) {
  if (depth > 64) return MASK;
  if (Array.isArray(value)) return value.map((v) => maskJson(v, depth + 1));
  if (value && typeof value === 'object') {
    const out = {};
    for (const [k, v] of Object.entries(value)) out[k] = isSecretName(k) && v !== null && v !== undefined && v !== '' ? MASK : maskJson(v, depth + 1);
    return out;
  }
  return value;
}

/** Masks `"name": "value"` and `name=value` pairs of secret-looking names in text that is not whole JSON. */
export function maskText(text) {
  return text
    .replace(/("([^"\\]{1,100})"\s*:\s*)("(?:[^"\\]|\\.)*"?|[^,}\]\s]+)/g, (m, head, name) => (isSecretName(name) ? `${head}"${MASK}"` : m))
    .replace(/(^|[?&\s;])([\w.-]{1,100})=([^&\s;]*)/g, (m, lead, name) => (isSecretName(name) ? `${lead}${name}=${MASK}` : m));
}

/** Cuts UTF-8 text to at most `cap` bytes without splitting a character. */
function cut(text, cap) {
  const buf = Buffer.from(text, 'utf8');
  if (buf.length <= cap) return text;
  let end = cap;
  while (end > 0 && (buf[end] & 0xc0) === 0x80) end--;
  return buf.subarray(0, end).toString('utf8');
}

/**
 * A body as the request log keeps it: JSON (object, or text that parses) pretty-printed with
 * secrets masked, a form body with secret fields masked, other text masked by pattern; then cut
 * to `cap` bytes. `bytes` is the size of the body as sent. `sentBytes`: that size when known
 * already (text decoded from a Buffer, whose byte length is the Buffer's).
 */
export function captureBody(raw, contentType, cap = BODY_CAP_BYTES, sentBytes) {
  if (raw === undefined || raw === null || raw === '') return { body: null, bytes: 0, truncated: false };
  let text;
  let bytes;
  if (typeof raw === 'string' || Buffer.isBuffer(raw)) {
    const s = typeof raw === 'string' ? raw : raw.toString('utf8');
    bytes = sentBytes ?? (typeof raw === 'string' ? Buffer.byteLength(raw) : raw.length);
    text = shapeText(s, bytes, contentType ?? '');
  } else if (typeof raw === 'object') {
    const json = JSON.stringify(raw) ?? '';
    bytes = Buffer.byteLength(json);
    text = JSON.stringify(maskJson(raw), null, 2);
  } else {
    text = String(raw);
    bytes = Buffer.byteLength(text);
  }
  const kept = cut(text, cap);
  return { body: kept, bytes, truncated: kept.length < text.length };
}

function shapeText(s, bytes, contentType) {
  if (/x-www-form-urlencoded/i.test(contentType)) return maskQuery(s);
  const t = s.trimStart();
  if (bytes <= PARSE_MAX_BYTES && (t.startsWith('{') || t.startsWith('['))) {
    try { return JSON.stringify(maskJson(JSON.parse(s)), null, 2); } catch { /* not whole JSON: mask as text */ }
  }
  return maskText(s);
}
