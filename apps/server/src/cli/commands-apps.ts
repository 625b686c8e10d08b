import type { Command } from 'commander';
import type { AppView } from '../operations/apps.js';
import { CliError, EXIT } from './exit-codes.js';
import { fields, table } from './format.js';
import type { Runner } from './runner.js';

/** `opencar apps …` */
export function appsCommand(program: Command, run: Runner): void {
  const apps = program.command('apps').description('applications: list, show, rotate credentials, delete');
  apps.command('list').description('every application, or one developer\'s').option('--developer <developer>', 'id or e-mail')
    .action(run(async (c, o: { developer?: string }) => {
      const list = await c.invoke('apps.list', o.developer ? { developer: o.developer } : {}) as AppView[];
      return { result: list, human: table(['CLIENT ID', 'NAME', 'DEVELOPER', 'MODE', 'VEHICLES', 'CREATED'], list.map((a) => [a.id, a.name, a.developerEmail, a.mode, a.connectedVehicles, a.createdAt.slice(0, 10)])) };
    }));
  apps.command('show').description('one application').argument('<app>', 'client id').action(run(async (c, app: string) => {
    const a = await c.invoke('apps.show', { app }) as AppView & { defaultScope: string[]; logoUrl: string | null; updatedAt: string };
    return {
      result: a,
      human: fields([['client id', a.id], ['name', a.name], ['developer', `${a.developerEmail} (${a.developerId})`], ['mode', a.mode],
        ['redirect URIs', a.redirectUris], ['default scope', a.defaultScope], ['vehicles', a.connectedVehicles], ['created', a.createdAt], ['updated', a.updatedAt]]),
    };
  }));
  apps.command('rotate-secret').description('issue a new client secret (the old one stops working at once)').argument('<app>', 'client id')
    .action(run(async (c, app: string) => {
      const r = await c.invoke('apps.rotate-secret', { app }) as { clientId: string; clientSecret: string };
      return { result: r, human: `${r.clientId}: new client secret ${r.clientSecret}\nShown once: store it now; the old secret no longer works.` };
    }));
  apps.command('rotate-amt').description('issue a new application management token (webhook signatures change with it)').argument('<app>', 'client id')
    .action(run(async (c, app: string) => {
      const r = await c.invoke('apps.rotate-amt', { app }) as { clientId: string; amt: string };
      return { result: r, human: `${r.clientId}: new management token ${r.amt}\nShown once: webhook signatures now use it; the old token no longer works.` };
    }));
  apps.command('delete').description('disconnect every vehicle, revoke every token and delete the application').argument('<app>', 'client id')
    .option('--yes', 'confirm the deletion').action(run(async (c, app: string, o: { yes?: boolean }) => {
      if (!o.yes) throw new CliError(`apps delete ${app}: this disconnects every vehicle and cannot be undone; add --yes to confirm`, EXIT.usage);
      const r = await c.invoke('apps.delete', { app }) as { clientId: string };
      return { result: r, human: `${r.clientId}: deleted (vehicles disconnected, tokens revoked)` };
    }));
}
