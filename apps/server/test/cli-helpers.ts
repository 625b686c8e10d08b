import { tmpdir } from 'node:os';
import { runCli } from '../src/cli/program.js';
import type { CliIo } from '../src/cli/runner.js';

export interface CliRun { code: number; out: string; err: string }

/** Runs `opencar <args>` in this process against `env` (nothing of the test runner's environment); never starts a server. */
export async function cli(env: Record<string, string>, ...args: string[]): Promise<CliRun> {
  return cliWithInput(env, '', ...args);
}

/** The same with `stdin` as standard input (--password-stdin). */
export async function cliWithInput(env: Record<string, string>, stdin: string, ...args: string[]): Promise<CliRun> {
  let out = '';
  let err = '';
  const io: CliIo = { env: { LOG_LEVEL: 'warn', ...env }, out: (t) => { out += `${t}\n`; }, err: (t) => { err += `${t}\n`; }, readStdin: async () => stdin.replace(/\r?\n$/, ''), exitCode: 0 };
  const code = await runCli(args, io, { start: async () => { throw new Error('not in this test'); }, cwd: tmpdir() });
  return { code, out, err };
}
