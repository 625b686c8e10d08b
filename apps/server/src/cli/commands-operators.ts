import type { Command } from 'commander';
import type { OperatorView } from '../operations/operators.js';
import { table } from './format.js';
import type { Runner } from './runner.js';

/** `opencar operators …`: the accounts of the admin page (/admin); there is no other way to create them. */
export function operatorsCommand(program: Command, run: Runner, readStdin: () => Promise<string>): void {
  const ops = program.command('operators').description('operator accounts of the admin page (/admin)');
  ops.command('add').description('create an operator account (password generated unless --password-stdin; shown once)').argument('<email>', 'e-mail address')
    .option('--password-stdin', 'read the password from standard input (at least 12 characters)')
    .action(run(async (c, email: string, o: { passwordStdin?: boolean }) => {
      const password = o.passwordStdin ? await readStdin() : undefined;
      const r = await c.invoke('operators.add', { email, ...(password ? { password } : {}) }) as { operator: OperatorView; password: string };
      return { result: o.passwordStdin ? { operator: r.operator } : r, human: `operator ${r.operator.email} created${o.passwordStdin ? '' : `; password ${r.password} (shown once)`}\nSign in at ${c.config.publicUrl}/admin` };
    }));
  ops.command('list').description('every operator account').action(run(async (c) => {
    const list = await c.invoke('operators.list') as OperatorView[];
    return { result: list, human: table(['EMAIL', 'CREATED', 'ID'], list.map((o) => [o.email, o.createdAt.slice(0, 10), o.id])) };
  }));
  ops.command('reset-password').description('set a new password and end the operator\'s sessions').argument('<operator>', 'id or e-mail')
    .option('--password-stdin', 'read the password from standard input')
    .action(run(async (c, operator: string, o: { passwordStdin?: boolean }) => {
      const password = o.passwordStdin ? await readStdin() : undefined;
      const r = await c.invoke('operators.reset-password', { operator, ...(password ? { password } : {}) }) as { operator: OperatorView; password: string; endedSessions: number };
      return { result: o.passwordStdin ? { ...r, password: undefined } : r, human: `operator ${r.operator.email}: ${o.passwordStdin ? 'password set' : `new password ${r.password} (shown once)`}; ${r.endedSessions} session(s) ended` };
    }));
  ops.command('remove').description('delete an operator account and end its sessions').argument('<operator>', 'id or e-mail')
    .action(run(async (c, operator: string) => {
      const r = await c.invoke('operators.remove', { operator }) as { operator: OperatorView };
      return { result: r, human: `operator ${r.operator.email} removed` };
    }));
}
