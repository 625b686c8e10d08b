import { Agent as HttpAgent, type AgentOptions } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { LookupFunction, Socket } from 'node:net';
import { checkHostname, type TargetPolicy } from './target-policy.js';

/** A connection the target policy refused; `reason` says why. */
export class TargetRefused extends Error {
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

type Connect = (options: Record<string, unknown>, done: (err: Error | null, socket?: Socket) => void) => void;

/**
 * Every new connection first resolves the receiver's host and checks each address against the
 * target policy, then connects to exactly the checked address (TLS still verifies the certificate
 * against the host name). A reused keep-alive connection was checked when it was opened.
 */
function checkedConnect(policy: TargetPolicy, open: (options: Record<string, unknown>) => Socket): Connect {
  return (options, done) => {
    checkHostname(String(options.host ?? 'localhost'), policy).then((checked) => {
      if (!checked.ok) { done(new TargetRefused(checked.reason)); return; }
      let socket: Socket;
      try { socket = open({ ...options, lookup: pinnedLookup(checked.address, checked.family) }); } catch (err) { done(err as Error); return; }
      done(null, socket);
    }, (err: unknown) => done(err instanceof Error ? err : new Error(String(err))));
  };
}

class CheckedHttpAgent extends HttpAgent {
  private readonly connect: Connect;
  constructor(policy: TargetPolicy, opts: AgentOptions) {
    super(opts);
    const open = (o: Record<string, unknown>) => (HttpAgent.prototype as unknown as { createConnection(o: unknown): Socket }).createConnection.call(this, o);
    this.connect = checkedConnect(policy, open);
  }
  override createConnection(options: never, done?: (err: Error | null, socket: Socket) => void): undefined {
    this.connect(options, done as (err: Error | null, socket?: Socket) => void);
    return undefined;
  }
}

class CheckedHttpsAgent extends HttpsAgent {
  private readonly connect: Connect;
  constructor(policy: TargetPolicy, opts: AgentOptions) {
    super(opts);
    const open = (o: Record<string, unknown>) => (HttpsAgent.prototype as unknown as { createConnection(o: unknown): Socket }).createConnection.call(this, o);
    this.connect = checkedConnect(policy, open);
  }
  override createConnection(options: never, done?: (err: Error | null, socket: Socket) => void): undefined {
    this.connect(options, done as (err: Error | null, socket?: Socket) => void);
    return undefined;
  }
}

export interface ReceiverPoolOptions {
  /** Idle keep-alive connections kept per receiver origin (default 64). */
  maxFreeSockets?: number;
  /** An idle connection is closed after this long, ms (default 4 s; sooner when the receiver announces a shorter keep-alive). */
  idleMs?: number;
}

/**
 * Keep-alive connection pools, one per receiver origin (scheme, host and port), so consecutive
 * deliveries to a receiver reuse its open connections instead of connecting for every request.
 * Every new connection is checked against the target policy.
 */
export class ReceiverPool {
  private readonly agents = new Map<string, HttpAgent>();

  constructor(private readonly policy: TargetPolicy, private readonly opts: ReceiverPoolOptions = {}) {}

  /** The pool for this URL's origin (created on first use). */
  agentFor(url: URL): HttpAgent {
    const key = `${url.protocol}//${url.host}`;
    let agent = this.agents.get(key);
    if (!agent) {
      const opts: AgentOptions = { keepAlive: true, maxFreeSockets: this.opts.maxFreeSockets ?? 64, timeout: this.opts.idleMs ?? 4000, scheduling: 'lifo' };
      agent = url.protocol === 'https:' ? new CheckedHttpsAgent(this.policy, opts) : new CheckedHttpAgent(this.policy, opts);
      this.agents.set(key, agent);
    }
    return agent;
  }

  /** Open connections per origin (tests, diagnostics). */
  openSockets(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [key, a] of this.agents) {
      const count = (m: NodeJS.ReadOnlyDict<Socket[]>) => Object.values(m).reduce((n, l) => n + (l?.length ?? 0), 0);
      out[key] = count(a.sockets) + count(a.freeSockets);
    }
    return out;
  }

  /** Closes every pooled connection; later requests get fresh pools. */
  close(): void {
    for (const a of this.agents.values()) a.destroy();
    this.agents.clear();
  }
}
