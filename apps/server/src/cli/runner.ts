import type { Env } from '@opencar/core';
import { connectOperator, type OperatorConnection } from './connect.js';
import { exitCodeOf } from './exit-codes.js';

export interface Output { result: unknown; human: string; exitCode?: number }
export interface GlobalOptions { json?: boolean; server?: string }

export interface CliIo {
  env: Env;
  out(text: string): void;
  err(text: string): void;
  /** Standard input up to its end, without the final newline (--password-stdin). */
  readStdin(): Promise<string>;
  /** Set by the runner: the status the process exits with. */
  exitCode: number;
}

/** Wraps a command: connect (server or database), run, print (human or --json), close, exit status. */
export type Runner = <A extends unknown[]>(fn: (c: OperatorConnection, ...args: A) => Promise<Output>) => (...args: A) => Promise<void>;

export function makeRunner(io: CliIo, globals: () => GlobalOptions): Runner {
  return (fn) => async (...args) => {
    const g = globals();
    let c: OperatorConnection | undefined;
    try {
      c = await connectOperator(io.env, g.server ? { server: g.server } : {});
      const o = await fn(c, ...args);
      io.out(g.json ? JSON.stringify(o.result, null, 2) : o.human);
      io.exitCode = o.exitCode ?? 0;
    } catch (err) {
      fail(io, err);
    } finally {
      await c?.close().catch(() => undefined);
    }
  };
}

/** One line on stderr; the stack only for failures nobody anticipated. */
export function fail(io: CliIo, err: unknown): void {
  const code = exitCodeOf(err);
  const known = code !== 1 || (err as Error).name === 'CliError';
  io.err(`opencar: ${known ? (err as Error).message : ((err as Error).stack ?? String(err))}`);
  io.exitCode = code;
}
