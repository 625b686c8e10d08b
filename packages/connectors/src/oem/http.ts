import { Agent, request, type Dispatcher } from 'undici';

/**
 * The one HTTP client every OEM connector uses (undici: Node's own HTTP client, with keep-alive
 * pools and per-request abort). It bounds every request by a deadline, caps the body size, retries
 * a request only when the connection failed before an answer and only when repeating it is safe,
 * and never throws for an HTTP status: status handling belongs to the connector's error rules.
 */
export interface OemRequest {
  method: 'GET' | 'POST' | 'DELETE';
  url: string;
  headers?: Record<string, string>;
  /** JSON body (sets content-type). */
  json?: unknown;
  /** Form body (application/x-www-form-urlencoded). */
  form?: Record<string, string>;
  /** Wall-clock ms this request may take, all attempts included. */
  timeoutMs: number;
  signal?: AbortSignal;
  /**
   * True when sending the request twice does no harm (reads). Other requests are retried only
   * when the connection was refused, i.e. the OEM cannot have received them.
   */
  idempotent: boolean;
}

export interface OemResponse {
  status: number;
  headers: Record<string, string>;
  text: string;
  /** The parsed body; undefined when it is not JSON. */
  json: unknown;
}

export type TransportFailure = 'timeout' | 'connection' | 'too_large' | 'aborted';

/** The OEM did not answer usably: no status to classify. */
export class OemTransportError extends Error {
  constructor(readonly reason: TransportFailure, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'OemTransportError';
  }
}

export interface OemHttpOptions {
  /** PEM certificates trusted for TLS in addition to the system store (e.g. a private proxy's CA). */
  ca?: string;
  /** Attempts after the first one when the connection fails (default 2). */
  retries?: number;
  /** Pause before retry n (1-based), ms; bounded by the remaining time. */
  backoffMs?: (attempt: number) => number;
  /** Largest body read, bytes (default 4 MiB). */
  maxBodyBytes?: number;
}

const CONNECTION_CODES = new Set([
  'ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNABORTED', 'EHOSTUNREACH', 'ENETUNREACH',
  'UND_ERR_SOCKET', 'UND_ERR_CLOSED',
]);

function errorCode(err: unknown): string | undefined {
  let e: unknown = err;
  for (let i = 0; i < 4 && e && typeof e === 'object'; i++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && code !== 'UND_ERR_ABORTED') return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

export class OemHttp {
  private readonly agent: Agent;
  private readonly retries: number;
  private readonly backoff: (attempt: number) => number;
  private readonly maxBody: number;

  constructor(opts: OemHttpOptions = {}) {
    this.agent = new Agent({
      keepAliveTimeout: 10_000,
      connections: 32,
      ...(opts.ca ? { connect: { ca: opts.ca } } : {}),
    });
    this.retries = opts.retries ?? 2;
    this.backoff = opts.backoffMs ?? ((n) => 100 * 2 ** (n - 1));
    this.maxBody = opts.maxBodyBytes ?? 4 * 1024 * 1024;
  }

  async send(req: OemRequest): Promise<OemResponse> {
    const deadline = Date.now() + Math.max(1, req.timeoutMs);
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.once(req, deadline);
      } catch (err) {
        if (!(err instanceof OemTransportError) || err.reason !== 'connection' || attempt >= this.retries) throw err;
        const refused = errorCode(err) === 'ECONNREFUSED';
        if (!req.idempotent && !refused) throw err;
        const pause = Math.min(this.backoff(attempt + 1), deadline - Date.now());
        if (pause <= 0) throw err;
        await new Promise((r) => setTimeout(r, pause));
      }
    }
  }

  private async once(req: OemRequest, deadline: number): Promise<OemResponse> {
    const remaining = deadline - Date.now();
    if (remaining <= 0) throw new OemTransportError('timeout', `no answer from ${new URL(req.url).host} in time`);
    const timer = AbortSignal.timeout(remaining);
    const signal = req.signal ? AbortSignal.any([timer, req.signal]) : timer;
    const headers: Record<string, string> = { accept: 'application/json', ...req.headers };
    let body: string | undefined;
    if (req.json !== undefined) { body = JSON.stringify(req.json); headers['content-type'] = 'application/json'; }
    if (req.form) { body = new URLSearchParams(req.form).toString(); headers['content-type'] = 'application/x-www-form-urlencoded'; }
    let res: Dispatcher.ResponseData;
    try {
      res = await request(req.url, { method: req.method, headers, body, signal, dispatcher: this.agent });
    } catch (err) {
      throw this.transport(err, req, timer, signal);
    }
    try {
      const text = await this.readBody(res, signal);
      return { status: res.statusCode, headers: flatHeaders(res.headers), text, json: parseJson(text) };
    } catch (err) {
      if (err instanceof OemTransportError) throw err;
      throw this.transport(err, req, timer, signal);
    }
  }

  private async readBody(res: Dispatcher.ResponseData, signal: AbortSignal): Promise<string> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of res.body) {
      if (signal.aborted) break;
      size += (chunk as Buffer).length;
      if (size > this.maxBody) {
        res.body.destroy();
        throw new OemTransportError('too_large', `answer larger than ${this.maxBody} bytes`);
      }
      chunks.push(chunk as Buffer);
    }
    if (signal.aborted) throw signal.reason ?? new Error('aborted');
    return Buffer.concat(chunks).toString('utf8');
  }

  private transport(err: unknown, req: OemRequest, timer: AbortSignal, signal: AbortSignal): OemTransportError {
    const host = new URL(req.url).host;
    if (timer.aborted) return new OemTransportError('timeout', `no answer from ${host} in time`, { cause: err });
    if (signal.aborted) return new OemTransportError('aborted', `request to ${host} aborted`, { cause: err });
    const code = errorCode(err);
    if (code && (CONNECTION_CODES.has(code) || code.startsWith('UND_ERR'))) {
      return new OemTransportError('connection', `connection to ${host} failed (${code})`, { cause: err });
    }
    return new OemTransportError('connection', `request to ${host} failed: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }

  async close(): Promise<void> {
    await this.agent.close();
  }
}

function flatHeaders(h: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

function parseJson(text: string): unknown {
  if (!text) return undefined;
  try { return JSON.parse(text); } catch { return undefined; }
}
