import { Command, CommanderError } from 'commander';
import { migrate, serverHoldsDatabase } from '@opencar/storage';
import type { PlatformCounters } from '@opencar/storage';
import { developersCommand } from './commands-developers.js';
import { appsCommand } from './commands-apps.js';
import { operatorsCommand } from './commands-operators.js';
import { backupCommands } from './commands-backup.js';
import { mailCommand } from './commands-mail.js';
import { doctor } from './doctor.js';
import { cliConfig, cliLogger, openDatabase } from './connect.js';
import { CliError, EXIT } from './exit-codes.js';
import { fields } from './format.js';
import { fail, makeRunner, type CliIo, type GlobalOptions } from './runner.js';

export interface CliHooks {
  /** `opencar start`: runs the server in this process (never returns while it runs). */
  start(): Promise<void>;
  cwd: string;
}

/** The `opencar` command line: one commander program, every command with --help. */
export function buildProgram(io: CliIo, hooks: CliHooks): Command {
  const program = new Command('opencar')
    .description('opencar operator commands: run the server, migrate, check the set-up, administer developers and apps')
    .option('--json', 'print the result as JSON (for scripts)')
    .option('--server <url>', 'talk to the server at this URL (default: the configured HOST and PORT, when a server holds the SQLite file)')
    .showHelpAfterError('(add --help for usage)')
    .configureOutput({ writeOut: (s) => io.out(s.replace(/\n$/, '')), writeErr: (s) => io.err(s.replace(/\n$/, '')) })
    .exitOverride();
  const globals = () => program.opts<GlobalOptions>();
  const run = makeRunner(io, globals);

  program.command('start').description('run the server in the foreground (SIGTERM or Ctrl-C drain and stop it)')
    .action(async () => { await hooks.start(); });

  program.command('migrate').description('apply pending database migrations (the server also applies them at start)')
    .action(async () => {
      const log = cliLogger();
      try {
        const { config } = cliConfig(io.env, log);
        if (serverHoldsDatabase(config.databaseUrl)) throw new CliError('a server holds this SQLite database and applied its migrations at start; stop it to migrate with a newer version', EXIT.conflict);
        const storage = await openDatabase(config, log, { migrate: false });
        try {
          const applied = await migrate(storage);
          io.out(globals().json ? JSON.stringify({ applied }, null, 2) : applied.length ? `applied ${applied.length} migration(s): ${applied.join(', ')}` : 'the schema is up to date');
          io.exitCode = EXIT.ok;
        } finally { await storage.close(); }
      } catch (err) { fail(io, err); }
    });

  program.command('doctor').description('check configuration, database, secret key, OEM connectors and the public URL; one line each with the fix')
    .action(async () => {
      try {
        const checks = await doctor(io.env, hooks.cwd);
        if (globals().json) io.out(JSON.stringify(checks, null, 2));
        else io.out(checks.map((c) => `${c.status === 'fail' ? 'FAIL' : c.status.padEnd(4)} ${c.check}: ${c.message}${c.fix ? `\n     fix: ${c.fix}` : ''}`).join('\n'));
        io.exitCode = checks.some((c) => c.status === 'fail') ? EXIT.failed : EXIT.ok;
      } catch (err) { fail(io, err); }
    });

  program.command('status').description('platform counters: developers, apps, connected vehicles, requests today, webhook backlog and dead letters, errors')
    .action(run(async (c) => {
      const k = await c.invoke('platform.counters') as PlatformCounters & { since: string };
      return {
        result: { ...k, via: c.via },
        human: fields([['developers', `${k.developers} (${k.suspendedDevelopers} suspended)`], ['apps', k.apps], ['connected vehicles', k.connectedVehicles],
          ['requests today', k.requestsToday], ['5xx answers today', k.errorsToday], ['webhook backlog', k.webhookBacklog], ['webhook dead letters', k.webhookDeadLetters],
          ['read', c.via === 'server' ? 'through the running server' : 'from the database directly']]),
      };
    }));

  developersCommand(program, run, io.readStdin);
  appsCommand(program, run);
  operatorsCommand(program, run, io.readStdin);
  backupCommands(program, run, io, globals);
  mailCommand(program, run);
  return program;
}

/** Runs the CLI on `argv` (without node and script); resolves to the exit status. */
export async function runCli(argv: string[], io: CliIo, hooks: CliHooks): Promise<number> {
  const program = buildProgram(io, hooks);
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) {
      // Commander printed the help or the problem already. Asked-for help is success; help shown
      // because a command was missing (`opencar developers`) is a usage error like a bad option.
      return err.code === 'commander.helpDisplayed' || err.code === 'commander.version' ? EXIT.ok : EXIT.usage;
    }
    fail(io, err);
  }
  return io.exitCode;
}
