import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';

/** The repository's root (where `npm start` runs). */
export const REPO_ROOT = join(import.meta.dirname, '../../..');

/** A TCP port that was free on 127.0.0.1 a moment ago. */
export async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

export interface ServerProcess {
  child: ChildProcess;
  port: number;
  /** `http://127.0.0.1:<port>` */
  base: string;
  /** Sends `signal` (default SIGTERM) and resolves once the process has exited. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/** Resolves once `child` has exited (at once if it already has). */
export function exited(child: ChildProcess): Promise<void> {
  return new Promise((r) => { if (child.exitCode !== null || child.signalCode) r(); else child.once('exit', () => r()); });
}

/**
 * Starts the real server process as `npm start` does, but as node itself with tsx's loader (not
 * the tsx wrapper), so a signal reaches the server and not only a wrapper. `env` is added to this
 * process's environment (PORT and HOST are set here); resolves once `/healthz` answers (30 s at most).
 * `onOutput` receives what the process writes (its log lines); without it the output is dropped.
 */
export async function spawnServer(env: Record<string, string>, port?: number, opts: { onOutput?: (text: string) => void } = {}): Promise<ServerProcess> {
  const p = port ?? await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'apps/server/src/main.ts'], {
    cwd: REPO_ROOT,
    env: { ...process.env, LOG_LEVEL: 'silent', ...env, PORT: String(p), HOST: '127.0.0.1' },
    stdio: opts.onOutput ? ['ignore', 'pipe', 'pipe'] : 'ignore',
  });
  if (opts.onOutput) {
    child.stdout!.setEncoding('utf8').on('data', opts.onOutput);
    child.stderr!.setEncoding('utf8').on('data', opts.onOutput);
  }
  const base = `http://127.0.0.1:${p}`;
  const stop = async (signal: NodeJS.Signals = 'SIGTERM') => {
    if (child.exitCode === null && !child.signalCode) child.kill(signal);
    await exited(child);
  };
  for (let i = 0; i < 300; i++) {
    if (await fetch(`${base}/healthz`).then((r) => r.ok, () => false)) return { child, port: p, base, stop };
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  await stop('SIGKILL');
  throw new Error('server did not start within 30 s');
}
