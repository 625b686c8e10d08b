import { request as httpRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { pinnedLookup, TargetRefused, type ReceiverPool } from './receiver-pool.js';
import { checkTarget, type TargetPolicy } from './target-policy.js';

/** Outcome of one HTTP POST to a receiver. */
export interface PostResult {
  status: number | null;
  body: string | null;
  error: string | null;
  durationMs: number;
}

/** At most this much of a receiver's answer is read and kept. */
const MAX_ANSWER_BYTES = 1024;

/** A request that found its reused keep-alive connection already closed by the receiver is sent again on another, at most this often. */
const STALE_RETRIES = 2;

/**
 * POSTs a signed JSON body with a hard timeout; never throws. The receiver's host is resolved and
 * checked against the target policy, and the connection goes to exactly that address (TLS still
 * verifies the certificate against the host name). Without a pool every call opens its own
 * connection, checked first; with one, keep-alive connections of the receiver's origin are reused
 * and each new one is checked as it opens. Redirects are not followed, and only the first kilobyte
 * of the answer is read.
 */
export async function postSigned(url: string, body: string, headers: Record<string, string>, timeoutMs: number, policy: TargetPolicy, pool?: ReceiverPool): Promise<PostResult> {
  const started = performance.now();
  const failed = (error: string): PostResult => ({ status: null, body: null, error, durationMs: performance.now() - started });
  let target: URL;
  try { target = new URL(url); } catch { return failed('invalid URL'); }
  const options = (signal: AbortSignal) => ({
    method: 'POST', signal,
    headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'user-agent': 'opencar-webhooks/1', ...headers },
  });
  if (!pool) {
    const checked = await checkTarget(target, policy);
    if (!checked.ok) return failed(`refused: ${checked.reason}`);
    const opts = { ...options(AbortSignal.timeout(timeoutMs)), agent: false, lookup: pinnedLookup(checked.address, checked.family) };
    return (await send(target, opts, body, timeoutMs, started)).result;
  }
  // The timeout covers the whole delivery: checking a new connection's target and any resend on a stale one.
  const signal = AbortSignal.timeout(timeoutMs);
  const agent = pool.agentFor(target);
  let sent = await send(target, { ...options(signal), agent }, body, timeoutMs, started);
  for (let i = 0; i < STALE_RETRIES && sent.stale && !signal.aborted; i++) sent = await send(target, { ...options(signal), agent }, body, timeoutMs, started);
  return sent.result;
}

/** `stale`: the request failed on a reused connection before any answer (the receiver had closed it). */
function send(target: URL, options: RequestOptions, body: string, timeoutMs: number, started: number): Promise<{ result: PostResult; stale: boolean }> {
  const request = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve) => {
    const req = request(target, options, (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const done = () => resolve({ result: { status: res.statusCode ?? null, body: Buffer.concat(chunks).toString('utf8').slice(0, MAX_ANSWER_BYTES), error: null, durationMs: performance.now() - started }, stale: false });
      res.on('data', (c: Buffer) => {
        if (size < MAX_ANSWER_BYTES) chunks.push(c.subarray(0, MAX_ANSWER_BYTES - size));
        size += c.length;
        if (size >= MAX_ANSWER_BYTES) { res.destroy(); done(); }
      });
      res.on('end', done);
      res.on('error', done);
    });
    req.on('error', (err: Error & { code?: string }) => {
      const error = err instanceof TargetRefused ? err.message
        : err.name === 'TimeoutError' || err.name === 'AbortError' ? `timed out after ${timeoutMs} ms` : err.code ?? err.message;
      const stale = req.reusedSocket && (err.code === 'ECONNRESET' || err.code === 'EPIPE');
      resolve({ result: { status: null, body: null, error, durationMs: performance.now() - started }, stale });
    });
    req.end(body);
  });
}
