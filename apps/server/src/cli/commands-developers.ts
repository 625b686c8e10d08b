import type { Command } from 'commander';
import type { DeveloperDetail, DeveloperView } from '../operations/developers.js';
import { CliError, EXIT } from './exit-codes.js';
import { fields, show, table } from './format.js';
import type { Runner } from './runner.js';

const line = (d: DeveloperView) => `${d.email}: plan ${d.plan}, ${d.status}${d.planLimits ? `, limits ${JSON.stringify(d.planLimits)}` : ''}`;

/** `opencar developers …` */
export function developersCommand(program: Command, run: Runner, readStdin: () => Promise<string>): void {
  const dev = program.command('developers').description('developer accounts: list, show, plan, limits, suspension, password');
  dev.command('list').description('every developer account').action(run(async (c) => {
    const list = await c.invoke('developers.list') as DeveloperView[];
    return { result: list, human: table(['EMAIL', 'PLAN', 'STATUS', 'APPS', 'CREATED', 'ID'], list.map((d) => [d.email, d.plan, d.status, d.apps, d.createdAt.slice(0, 10), d.id])) };
  }));
  dev.command('show').description('one developer: plan, effective limits, apps').argument('<developer>', 'id or e-mail').action(run(async (c, developer: string) => {
    const d = await c.invoke('developers.show', { developer }) as DeveloperDetail;
    const l = d.effectiveLimits;
    const human = [
      fields([['id', d.id], ['email', d.email], ['name', d.name], ['plan', d.plan], ['status', d.status], ['created', d.createdAt], ['overrides', d.planLimits ? JSON.stringify(d.planLimits) : '(none)']]),
      '', 'effective limits',
      fields([['  requests/month', l.requestsPerMonth], ['  requests/vehicle/month', l.vehicleRequestsPerMonth], ['  vehicles', l.vehicles],
        ['  price/request (cents)', l.pricePerRequestCents], ['  features', l.features], ['  app bucket', l.appBucket], ['  vehicle bucket', l.vehicleBucket ?? 'none']]),
      '', `apps (${d.appList.length})`,
      table(['CLIENT ID', 'NAME', 'MODE', 'VEHICLES'], d.appList.map((a) => [a.id, a.name, a.mode, a.connectedVehicles])),
    ].join('\n');
    return { result: d, human };
  }));
  dev.command('set-plan').description('set the plan: free, payg or enterprise').argument('<developer>', 'id or e-mail').argument('<plan>', 'free | payg | enterprise')
    .action(run(async (c, developer: string, plan: string) => {
      const d = await c.invoke('developers.set-plan', { developer, plan }) as DeveloperView;
      return { result: d, human: line(d) };
    }));
  dev.command('set-limits').description('override plan limits (merged with earlier overrides)').argument('<developer>', 'id or e-mail')
    .option('--requests-per-month <n>', 'billable requests per app and month, or "unlimited"')
    .option('--vehicle-requests-per-month <n>', 'billable requests per vehicle and month, or "unlimited"')
    .option('--vehicles <n>', 'connected vehicles per app and month, or "unlimited"')
    .option('--price-cents <n>', 'price of one billable request, in cents')
    .option('--app-bucket <capacity/refill>', 'app-wide rate limit: capacity and refill per minute, e.g. 120/2')
    .option('--vehicle-bucket <capacity/refill>', 'per-vehicle rate limit, e.g. 60/1, or "none"')
    .option('--features <list>', 'comma-separated: batch, compatibility, event_webhooks, single_select')
    .option('--clear', 'drop every earlier override first')
    .action(run(async (c, developer: string, o: Record<string, string | boolean | undefined>) => {
      const limits = {
        requestsPerMonth: count(o.requestsPerMonth, '--requests-per-month', true),
        vehicleRequestsPerMonth: count(o.vehicleRequestsPerMonth, '--vehicle-requests-per-month', true),
        vehicles: count(o.vehicles, '--vehicles', true),
        pricePerRequestCents: count(o.priceCents, '--price-cents', false),
        appBucket: bucket(o.appBucket, '--app-bucket', false),
        vehicleBucket: bucket(o.vehicleBucket, '--vehicle-bucket', true),
        features: typeof o.features === 'string' ? o.features.split(',').map((f) => f.trim()).filter(Boolean) : undefined,
      };
      if (Object.values(limits).every((v) => v === undefined) && !o.clear) throw new CliError('set-limits: give at least one limit option or --clear (see --help)', EXIT.usage);
      const d = await c.invoke('developers.set-limits', { developer, limits: JSON.parse(JSON.stringify(limits)) as object, clear: o.clear === true }) as DeveloperView;
      return { result: d, human: line(d) };
    }));
  dev.command('suspend').description("suspend: the developer's apps get BILLING:ACCOUNT_SUSPENDED").argument('<developer>', 'id or e-mail')
    .action(run(async (c, developer: string) => {
      const d = await c.invoke('developers.suspend', { developer }) as DeveloperView;
      return { result: d, human: line(d) };
    }));
  dev.command('reinstate').description('end a suspension').argument('<developer>', 'id or e-mail').action(run(async (c, developer: string) => {
    const d = await c.invoke('developers.reinstate', { developer }) as DeveloperView;
    return { result: d, human: line(d) };
  }));
  dev.command('reset-password').description('set a new dashboard password (generated unless --password-stdin) and end their sessions')
    .argument('<developer>', 'id or e-mail').option('--password-stdin', 'read the new password from standard input')
    .action(run(async (c, developer: string, o: { passwordStdin?: boolean }) => {
      const password = o.passwordStdin ? await readStdin() : undefined;
      const r = await c.invoke('developers.reset-password', { developer, ...(password ? { password } : {}) }) as { developer: DeveloperView; password: string; endedSessions: number };
      const human = `${r.developer.email}: new dashboard password ${o.passwordStdin ? '(from stdin)' : r.password}\n${r.endedSessions} dashboard session(s) ended`;
      return { result: o.passwordStdin ? { ...r, password: undefined } : r, human };
    }));
}

function count(v: unknown, option: string, unlimited: boolean): number | null | undefined {
  if (v === undefined) return undefined;
  if (unlimited && v === 'unlimited') return null;
  if (typeof v !== 'string' || !/^\d{1,12}$/.test(v)) throw new CliError(`${option} must be a whole number${unlimited ? ' or "unlimited"' : ''}, got "${show(v)}"`, EXIT.usage);
  return Number(v);
}

function bucket(v: unknown, option: string, none: boolean): { capacity: number; refillPerMinute: number } | null | undefined {
  if (v === undefined) return undefined;
  if (none && v === 'none') return null;
  const m = typeof v === 'string' ? /^(\d{1,9})\/(\d{1,9})$/.exec(v) : null;
  if (!m) throw new CliError(`${option} must be capacity/refill-per-minute like 120/2${none ? ' or "none"' : ''}, got "${show(v)}"`, EXIT.usage);
  return { capacity: Number(m[1]), refillPerMinute: Number(m[2]) };
}
