/**
 * The webhook benchmark's receiver: an HTTP server on 127.0.0.1 that checks every v2 delivery with
 * the official SDK's verifyPayload (and answers the verify challenge with hashChallenge), every
 * payload 4.0 delivery with an HMAC over the raw bytes, and counts them.
 *
 * `startReceiver('process')` runs it in a child process (this file, run as a script) pinned with
 * `taskset` to core 0 while the benchmark pins itself to core 1, so the sender and the receiver do
 * not share a core (as with a receiver on another machine); `'inline'` runs it in the benchmark's
 * own process, sharing its event loop with the sender.
 */
import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const sdk = createRequire(import.meta.url)('smartcar') as { verifyPayload(amt: string, sig: string, body: unknown): boolean; hashChallenge(amt: string, c: string): string };

export interface Counts { verified: number; bad: number; v3Verified: number; v3Bad: number }

export interface BenchReceiver {
  readonly url: string;
  readonly where: string;
  counts(): Promise<Counts>;
  /** Sets every count back to zero. */
  reset(): Promise<void>;
  close(): Promise<void>;
}

function serve(amt: string, counts: Counts): Server {
  return createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const body = JSON.parse(raw.toString('utf8')) as { eventName: string; payload: { challenge?: string }; meta?: { version: string } };
      if (body.meta?.version === '4.0') {
        if (createHmac('sha256', amt).update(raw).digest('hex') === req.headers['sc-signature']) counts.v3Verified++; else counts.v3Bad++;
        res.writeHead(204).end();
        return;
      }
      if (sdk.verifyPayload(amt, String(req.headers['sc-signature']), body)) counts.verified++; else counts.bad++;
      if (body.eventName === 'verify') { res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ challenge: sdk.hashChallenge(amt, body.payload.challenge!) })); return; }
      res.writeHead(204).end();
    });
  });
}

const zero = (c: Counts) => { c.verified = 0; c.bad = 0; c.v3Verified = 0; c.v3Bad = 0; };

async function listen(server: Server): Promise<string> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as { port: number }).port}/hook`;
}

export async function startReceiver(mode: 'process' | 'inline', amt: string, pin: boolean): Promise<BenchReceiver> {
  if (mode === 'inline') {
    const counts: Counts = { verified: 0, bad: 0, v3Verified: 0, v3Bad: 0 };
    const server = serve(amt, counts);
    const url = await listen(server);
    return {
      url, where: 'in this process',
      counts: async () => ({ ...counts }),
      reset: async () => zero(counts),
      close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
    };
  }
  const child = fork(fileURLToPath(import.meta.url), ['serve', amt], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  if (pin) {
    execFileSync('taskset', ['-a', '-cp', '0', String(child.pid)], { stdio: 'ignore' });
    execFileSync('taskset', ['-a', '-cp', '1', String(process.pid)], { stdio: 'ignore' });
  }
  const url = await ask<string>(child, { op: 'url' });
  return {
    url, where: pin ? 'in a child process on core 0 (this one on core 1)' : 'in a child process',
    counts: () => ask<Counts>(child, { op: 'counts' }),
    reset: async () => { await ask(child, { op: 'reset' }); },
    close: async () => { await ask(child, { op: 'close' }); child.disconnect(); },
  };
}

let asked = 0;
/** One request to the child and its answer. */
function ask<T>(child: ChildProcess, msg: { op: string }): Promise<T> {
  const id = ++asked;
  return new Promise((resolve, reject) => {
    const onMessage = (m: { id: number; value: T }) => {
      if (m.id !== id) return;
      child.off('message', onMessage);
      child.off('exit', onExit);
      resolve(m.value);
    };
    const onExit = (code: number | null) => reject(new Error(`receiver exited with ${code}`));
    child.on('message', onMessage);
    child.once('exit', onExit);
    child.send({ ...msg, id });
  });
}

// Child mode: serve, and answer the benchmark over IPC.
if (process.argv[2] === 'serve' && process.send) {
  const counts: Counts = { verified: 0, bad: 0, v3Verified: 0, v3Bad: 0 };
  const server = serve(process.argv[3]!, counts);
  const url = listen(server);
  process.on('message', (m: { id: number; op: string }) => {
    const reply = (value: unknown) => process.send!({ id: m.id, value });
    if (m.op === 'url') void url.then(reply);
    else if (m.op === 'counts') reply(counts);
    else if (m.op === 'reset') { zero(counts); reply(true); }
    else if (m.op === 'close') { server.closeAllConnections(); server.close(() => { reply(true); process.disconnect?.(); }); }
  });
}
