import type { OperationsContext } from './context.js';
import { OperationError } from './operation-error.js';
import { listDevelopers, reinstate, resetPassword, setLimits, setPlan, showDeveloper, suspend } from './developers.js';
import { deleteApp, listApps, rotateAmt, rotateSecret, showApp } from './apps.js';
import { platformCounters } from './counters.js';
import { backup } from './backup.js';
import { mailOutbox } from './mail.js';
import { addOperator, listOperators, removeOperator, resetOperatorPassword } from './operators.js';

export type { OperationsContext } from './context.js';
export { OperationError, HTTP_STATUS, type OperationErrorKind } from './operation-error.js';

type Args = Record<string, unknown>;

function text(a: Args, name: string): string {
  const v = a[name];
  if (typeof v !== 'string' || v.trim() === '') throw new OperationError('invalid', `${name} is required`);
  return v.trim();
}

function optionalText(a: Args, name: string): string | undefined {
  return a[name] === undefined || a[name] === null ? undefined : text(a, name);
}

function object(a: Args, name: string): Record<string, unknown> {
  const v = a[name];
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw new OperationError('invalid', `${name} must be an object`);
  return v as Record<string, unknown>;
}

/**
 * Every operator operation by name: the one implementation behind the CLI (directly on the
 * database, or through the running server's admin interface) and the admin page.
 */
export const OPERATIONS = {
  'developers.list': (ctx: OperationsContext) => listDevelopers(ctx),
  'developers.show': (ctx: OperationsContext, a: Args) => showDeveloper(ctx, text(a, 'developer')),
  'developers.set-plan': (ctx: OperationsContext, a: Args) => setPlan(ctx, text(a, 'developer'), text(a, 'plan')),
  'developers.set-limits': (ctx: OperationsContext, a: Args) => setLimits(ctx, text(a, 'developer'), object(a, 'limits'), a.clear === true),
  'developers.suspend': (ctx: OperationsContext, a: Args) => suspend(ctx, text(a, 'developer')),
  'developers.reinstate': (ctx: OperationsContext, a: Args) => reinstate(ctx, text(a, 'developer')),
  'developers.reset-password': (ctx: OperationsContext, a: Args) => resetPassword(ctx, text(a, 'developer'), optionalText(a, 'password')),
  'apps.list': (ctx: OperationsContext, a: Args) => listApps(ctx, optionalText(a, 'developer')),
  'apps.show': (ctx: OperationsContext, a: Args) => showApp(ctx, text(a, 'app')),
  'apps.rotate-secret': (ctx: OperationsContext, a: Args) => rotateSecret(ctx, text(a, 'app')),
  'apps.rotate-amt': (ctx: OperationsContext, a: Args) => rotateAmt(ctx, text(a, 'app')),
  'apps.delete': (ctx: OperationsContext, a: Args) => deleteApp(ctx, text(a, 'app')),
  'platform.counters': (ctx: OperationsContext) => platformCounters(ctx),
  'platform.backup': (ctx: OperationsContext, a: Args) => backup(ctx, text(a, 'file')),
  'operators.add': (ctx: OperationsContext, a: Args) => addOperator(ctx, text(a, 'email'), optionalText(a, 'password')),
  'operators.list': (ctx: OperationsContext) => listOperators(ctx),
  'operators.reset-password': (ctx: OperationsContext, a: Args) => resetOperatorPassword(ctx, text(a, 'operator'), optionalText(a, 'password')),
  'operators.remove': (ctx: OperationsContext, a: Args) => removeOperator(ctx, text(a, 'operator')),
  'mail.outbox': (ctx: OperationsContext, a: Args) => mailOutbox(ctx, a.limit === undefined ? 20 : Number(a.limit), optionalText(a, 'to')),
} as const;

export type OperationName = keyof typeof OPERATIONS;
export type OperationResult<N extends OperationName> = Awaited<ReturnType<(typeof OPERATIONS)[N]>>;

export const isOperationName = (name: string): name is OperationName => Object.hasOwn(OPERATIONS, name);

/** Runs an operation by name with JSON arguments (as the admin interface receives them). */
export async function runOperation(ctx: OperationsContext, name: string, args: unknown): Promise<unknown> {
  if (!isOperationName(name)) throw new OperationError('not_found', `no operation "${name}"`);
  const a = args && typeof args === 'object' && !Array.isArray(args) ? args as Args : {};
  return (OPERATIONS[name] as (ctx: OperationsContext, a: Args) => Promise<unknown>)(ctx, a);
}
