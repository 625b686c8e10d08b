import type { LookupFunction } from 'node:net';
import { buildConnector, Pool } from 'undici';
import { checkHostname, type TargetPolicy } from './target-policy.js';

/** Outcome of one HTTP POST to a receiver. */
export interface PostResult {
  status: number | null;
  body: string | null;
  error: string | null;
  durationMs: number;
}

/** At most this much of a receiver's answer is read and kept. */
export const MAX_ANSWER_BYTES = 1024;

/** A connection the target policy refused; `reason` says why. */
export class TargetRefused extends Error {
  readonly code = 'OPENCAR_TARGET_REFUSED';
  constructor(readonly reason: string) {
    super(`refused: ${reason}`);
    this.name = 'TargetRefused';
  }
}

/** A DNS lookup that answers only the address the target policy checked. */
export function pinnedLookup(address: string, family: 4 | 6): LookupFunction {
  return ((_host: string, opts: { all?: boolean }, cb: (...args: unknown[]) => void) => {
    if (opts?.all) cb(null, [{ address, family }]);
    else cb(null, address, family);
  }) as unknown as LookupFunction;
}

type Connector = buildConnector.connector;

/**
 * Opens a connection only after resolving the receiver's host and checking every address against
 * the target policy, and then to exactly the checked address (TLS still verifies the certificate
 * against the host name). Runs for every new connection; a kept-alive one was checked when opened.
 */
function checkedConnector(policy: TargetPolicy): Connector {
  return (options, callback) => {
    checkHostname(options.hostname, policy).then((checked) => {
      if (!checked.ok) { callback(new TargetRefused(checked.reason), null); return; }
      const open = buildConnector({ lookup: pinnedLookup(checked.address, checked.family) } as buildConnector.BuildOptions);
      open(options, callback);
    }, (err: unknown) => callback(err instanceof Error ? err : new Error(String(err)), null));
  };
}

/** Socket failures before any answer: the receiver closed a kept-alive connection as it was reused, or dropped it. */
const SOCKET_ERRORS = new Set(['UND_ERR_SOCKET', 'ECONNRESET', 'EPIPE']);

export interface ReceiverPoolOptions {
  /** Most connections per receiver origin (default 64). */
  connections?: number;
  /** An idle connection is closed after this long, ms (default 4 s; sooner when the receiver announces a shorter keep-alive). */
  idleMs?: number;
}

/**
 * Keep-alive connection pools, one per receiver origin (scheme, host and port), so consecutive
 * deliveries to a receiver reuse its open connections instead of connecting for every request.
 * undici's Pool (the HTTP client the OEM connectors use too) costs markedly less CPU per request
 * than node:http, and its connector hook is where every new connection is checked against the
 * target policy. One request per connection at a time (no pipelining); redirects are not followed.
 */
export class ReceiverPool {
  private readonly pools = new Map<string, Pool>();

  constructor(private readonly policy: TargetPolicy, private readonly opts: ReceiverPoolOptions = {}) {}

  /** POSTs `body` with a hard timeout over the whole exchange; never throws. */
  async post(url: URL, body: string, headers: Record<string, string>, timeoutMs: number): Promise<PostResult> {
    const started = performance.now();
    const signal = AbortSignal.timeout(timeoutMs);
    let result = await this.once(url, body, headers, signal, timeoutMs, started);
    // A kept-alive connection the receiver had closed fails before any answer: once more on a new one.
    if (result.retry && !signal.aborted) result = await this.once(url, body, headers, signal, timeoutMs, started);
    return result.res;
  }

  private async once(url: URL, body: string, headers: Record<string, string>, signal: AbortSignal, timeoutMs: number, started: number): Promise<{ res: PostResult; retry: boolean }> {
    try {
      const res = await this.poolFor(url).request({
        path: `${url.pathname}${url.search}`, method: 'POST', body, signal,
        headers: { 'content-type': 'application/json', 'user-agent': 'opencar-webhooks/1', ...headers },
      });
      const chunks: Buffer[] = [];
      let size = 0;
      try {
        for await (const c of res.body as AsyncIterable<Buffer>) {
          chunks.push(c.subarray(0, MAX_ANSWER_BYTES - size));
          size += c.length;
          if (size >= MAX_ANSWER_BYTES) break;
        }
      } catch { /* an answer cut short keeps what arrived */ }
      if (size >= MAX_ANSWER_BYTES) res.body.destroy();
      return { res: { status: res.statusCode, body: Buffer.concat(chunks).toString('utf8').slice(0, MAX_ANSWER_BYTES), error: null, durationMs: performance.now() - started }, retry: false };
    } catch (err) {
      const e = err as Error & { code?: string };
      const error = e instanceof TargetRefused ? e.message
        : signal.aborted || e.name === 'TimeoutError' || e.name === 'AbortError' ? `timed out after ${timeoutMs} ms` : e.code ?? e.message;
      return { res: { status: null, body: null, error, durationMs: performance.now() - started }, retry: e.code !== undefined && SOCKET_ERRORS.has(e.code) };
    }
  }

  private poolFor(url: URL): Pool {
    const origin = url.origin;
    let pool = this.pools.get(origin);
    if (!pool) {
      pool = new Pool(origin, {
        connections: this.opts.connections ?? 64, pipelining: 1, keepAliveTimeout: this.opts.idleMs ?? 4000,
        connect: checkedConnector(this.policy),
      });
      this.pools.set(origin, pool);
    }
    return pool;
  }

  /** Closes every pooled connection; later requests get fresh pools. */
  async close(): Promise<void> {
    const pools = [...this.pools.values()];
    this.pools.clear();
    await Promise.all(pools.map((p) => p.destroy().catch(() => undefined)));
  }
}
