import type { LookupFunction } from 'node:net';
import { buildConnector, Pool, type Dispatcher } from 'undici';
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
function checkedConnector(policy: TargetPolicy, connectTimeoutMs: number): Connector {
  return (options, callback) => {
    checkHostname(options.hostname, policy).then((checked) => {
      if (!checked.ok) { callback(new TargetRefused(checked.reason), null); return; }
      const open = buildConnector({ lookup: pinnedLookup(checked.address, checked.family), timeout: connectTimeoutMs } as buildConnector.BuildOptions);
      open(options, callback);
    }, (err: unknown) => callback(err instanceof Error ? err : new Error(String(err)), null));
  };
}

/** Parsed receiver URLs kept at most (webhooks' URLs; the cache starts over when full). */
const MAX_URLS = 1000;

/** Socket failures before any answer: the receiver closed a kept-alive connection as it was reused, or dropped it. */
const SOCKET_ERRORS = new Set(['UND_ERR_SOCKET', 'ECONNRESET', 'EPIPE']);

export interface ReceiverPoolOptions {
  /** Most connections per receiver origin (default 64). */
  connections?: number;
  /** An idle connection is closed after this long, ms (default 4 s; sooner when the receiver announces a shorter keep-alive). */
  idleMs?: number;
  /** Opening a connection gives up after this long, ms (default 10 s; the deliverer passes its receiver timeout). */
  connectTimeoutMs?: number;
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
  /** Receiver URLs as parsed, by their text (a webhook's URL is parsed once, not per delivery). */
  private readonly urls = new Map<string, URL>();

  constructor(private readonly policy: TargetPolicy, private readonly opts: ReceiverPoolOptions = {}) {}

  /** `url` parsed (kept for the next delivery to the same URL), or undefined when it is not a URL. */
  parse(url: string): URL | undefined {
    let parsed = this.urls.get(url);
    if (parsed) return parsed;
    try { parsed = new URL(url); } catch { return undefined; }
    if (this.urls.size >= MAX_URLS) this.urls.clear();
    this.urls.set(url, parsed);
    return parsed;
  }

  /** POSTs `body` with a hard timeout over the whole exchange; never throws. */
  async post(url: URL, body: string, headers: Record<string, string>, timeoutMs: number): Promise<PostResult> {
    const started = performance.now();
    const deadline = started + timeoutMs;
    let sent = await this.once(url, body, headers, deadline, timeoutMs, started);
    // A kept-alive connection the receiver had closed fails before any answer: once more on a new one.
    if (sent.retry && performance.now() < deadline) sent = await this.once(url, body, headers, deadline, timeoutMs, started);
    return sent.res;
  }

  /**
   * One exchange through undici's dispatcher interface (no response stream, no AbortSignal: both
   * cost more per request than the exchange itself on a fast receiver). The timer aborts the
   * request at the deadline; the answer is settled at the deadline whatever the request still does.
   */
  private once(url: URL, body: string, headers: Record<string, string>, deadline: number, timeoutMs: number, started: number): Promise<{ res: PostResult; retry: boolean }> {
    return new Promise((resolve) => {
      const exchange = new Exchange(resolve, timeoutMs, started, deadline);
      try {
        this.poolFor(url).dispatch({
          path: url.pathname + url.search, method: 'POST', body,
          headers: { 'content-type': 'application/json', 'user-agent': 'opencar-webhooks/1', ...headers },
        }, exchange);
      } catch (err) {
        exchange.failed(err instanceof Error ? (err as Error & { code?: string }).code ?? err.message : String(err));
      }
    });
  }

  private poolFor(url: URL): Pool {
    const origin = url.origin;
    let pool = this.pools.get(origin);
    if (!pool) {
      pool = new Pool(origin, {
        connections: this.opts.connections ?? 64, pipelining: 1, keepAliveTimeout: this.opts.idleMs ?? 4000,
        connect: checkedConnector(this.policy, this.opts.connectTimeoutMs ?? 10_000),
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

/**
 * The handler of one exchange (undici's DispatchHandler): collects the status and the first
 * kilobyte of the answer and settles once, at the answer's end, on an error, or at the deadline.
 * A class, so a request allocates one object instead of a closure per callback.
 */
class Exchange implements Dispatcher.DispatchHandler {
  private controller: Dispatcher.DispatchController | null = null;
  private status: number | null = null;
  private size = 0;
  private settled = false;
  private readonly chunks: Buffer[] = [];
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly resolve: (r: { res: PostResult; retry: boolean }) => void, private readonly timeoutMs: number, private readonly started: number, deadline: number) {
    this.timer = setTimeout(onDeadline, Math.max(0, deadline - performance.now()), this);
  }

  onRequestStart(c: Dispatcher.DispatchController): void {
    this.controller = c;
    if (this.settled) c.abort(new Error('timed out'));
  }

  onResponseStart(_c: Dispatcher.DispatchController, statusCode: number): void { this.status = statusCode; }

  onResponseData(c: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.size < MAX_ANSWER_BYTES) this.chunks.push(chunk.subarray(0, MAX_ANSWER_BYTES - this.size));
    this.size += chunk.length;
    if (this.size >= MAX_ANSWER_BYTES) {
      // Enough read: the rest of a long answer is not waited for (the connection is closed).
      this.answered();
      c.abort(new Error('answer long enough'));
    }
  }

  onResponseEnd(): void { this.answered(); }

  onResponseError(_c: Dispatcher.DispatchController, err: Error): void {
    const e = err as Error & { code?: string };
    if (e instanceof TargetRefused) { this.failed(e.message); return; }
    // An answer whose body broke off keeps its status and what arrived.
    if (this.status !== null) { this.answered(); return; }
    this.failed(e.code ?? e.message, e.code !== undefined && SOCKET_ERRORS.has(e.code));
  }

  timedOut(): void {
    this.failed(`timed out after ${this.timeoutMs} ms`);
    this.controller?.abort(new Error('timed out'));
  }

  failed(error: string, retry = false): void {
    this.settle({ status: null, body: null, error, durationMs: performance.now() - this.started }, retry);
  }

  private answered(): void {
    const body = this.chunks.length === 0 ? '' : Buffer.concat(this.chunks).toString('utf8').slice(0, MAX_ANSWER_BYTES);
    this.settle({ status: this.status, body, error: null, durationMs: performance.now() - this.started });
  }

  private settle(res: PostResult, retry = false): void {
    if (this.settled) return;
    this.settled = true;
    clearTimeout(this.timer);
    this.resolve({ res, retry });
  }
}

function onDeadline(exchange: Exchange): void { exchange.timedOut(); }
