import type { Command } from 'commander';
import type { MailView } from '../operations/mail.js';
import { CliError, EXIT } from './exit-codes.js';
import type { Runner } from './runner.js';

/** `opencar mail outbox`: what the platform mailed (password-reset and team-invitation links), readable when no SMTP server is configured. */
export function mailCommand(program: Command, run: Runner): void {
  const mail = program.command('mail').description('the outgoing mail outbox');
  mail.command('outbox').description('the newest messages, newest first, with their text and whether SMTP accepted them')
    .option('--to <email>', 'only messages to this address')
    .option('--limit <n>', 'how many messages (1–1000)', '20')
    .action(run(async (c, o: { to?: string; limit: string }) => {
      const limit = Number(o.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new CliError('--limit must be an integer from 1 to 1000', EXIT.usage);
      const list = await c.invoke('mail.outbox', { limit, ...(o.to ? { to: o.to } : {}) }) as MailView[];
      const human = list.length === 0 ? '(the outbox is empty)' : list.map((m) => [
        `${m.createdAt}  to ${m.to}  ${m.sentAt ? `sent ${m.sentAt}` : m.error ? `not sent: ${m.error}` : 'not sent (outbox only)'}`,
        `Subject: ${m.subject}`, '', m.text, '',
      ].join('\n')).join('\n');
      return { result: list, human };
    }));
}
