import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { MAX_ANSWER_BYTES, pinnedLookup, type PostResult, type ReceiverPool } from './receiver-pool.js';
import { checkTarget, type TargetPolicy } from './target-policy.js';

export type { PostResult } from './receiver-pool.js';

/**
 * POSTs a signed JSON body with a hard timeout; never throws. The receiver's host is resolved and
 * checked against the target policy, and the connection goes to exactly that address (TLS still
 * verifies the certificate against the host name). Without a pool the call opens its own
 * connection, checked first; with one (the deliverer's), a kept-alive connection of the receiver's
 * origin is reused and each new one is checked as it opens. Redirects are not followed, and only
 * the first kilobyte of the answer is read.
 */
export async function postSigned(url: string, body: string, headers: Record<string, string>, timeoutMs: number, policy: TargetPolicy, pool?: ReceiverPool): Promise<PostResult> {
  const started = performance.now();
  const failed = (error: string): PostResult => ({ status: null, body: null, error, durationMs: performance.now() - started });
  if (pool) {
    const parsed = pool.parse(url);
    return parsed ? pool.post(parsed, body, headers, timeoutMs) : failed('invalid URL');
  }
  let target: URL;
  try { target = new URL(url); } catch { return failed('invalid URL'); }
  const checked = await checkTarget(target, policy);
  if (!checked.ok) return failed(`refused: ${checked.reason}`);
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<PostResult>((resolve) => {
    const req = send(target, {
      method: 'POST', agent: false, lookup: pinnedLookup(checked.address, checked.family), signal: AbortSignal.timeout(timeoutMs),
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'user-agent': 'opencar-webhooks/1', ...headers },
    }, (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const done = () => resolve({ status: res.statusCode ?? null, body: Buffer.concat(chunks).toString('utf8').slice(0, MAX_ANSWER_BYTES), error: null, durationMs: performance.now() - started });
      res.on('data', (c: Buffer) => {
        if (size < MAX_ANSWER_BYTES) chunks.push(c.subarray(0, MAX_ANSWER_BYTES - size));
        size += c.length;
        if (size >= MAX_ANSWER_BYTES) { res.destroy(); done(); }
      });
      res.on('end', done);
      res.on('error', done);
    });
    req.on('error', (err: Error & { code?: string }) => {
      resolve(failed(err.name === 'TimeoutError' || err.name === 'AbortError' ? `timed out after ${timeoutMs} ms` : err.code ?? err.message));
    });
    req.end(body);
  });
}
