import { runCli } from './cli/program.js';
import { EXIT } from './cli/exit-codes.js';
import type { CliIo } from './cli/runner.js';
import { StartupError, exitOnStartupError, operatorEnv, runServer } from './start.js';

/** The `opencar` command (package bin, `npm run opencar -- …`): reads `.env` like the server. */
function environment() {
  try {
    return operatorEnv(process.env);
  } catch (err) {
    process.stderr.write(`opencar: ${err instanceof StartupError ? err.message : String(err)}\n`);
    process.exit(EXIT.usage);
  }
}

const io: CliIo = {
  env: environment(),
  out: (t) => { process.stdout.write(`${t}\n`); },
  err: (t) => { process.stderr.write(`${t}\n`); },
  readStdin: async () => {
    let s = '';
    for await (const chunk of process.stdin) s += String(chunk);
    return s.replace(/\r?\n$/, '');
  },
  exitCode: 0,
};

let serving = false;
const start = async () => {
  serving = true;
  await runServer(process.env).catch(exitOnStartupError);
};

runCli(process.argv.slice(2), io, { start, cwd: process.cwd() }).then((code) => {
  if (!serving) process.exit(code);
}, (err: unknown) => {
  process.stderr.write(`opencar: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exit(EXIT.failed);
});
