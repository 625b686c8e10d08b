import { hashPassword, randomToken, uuid } from '@opencar/core';
import { ConflictError, OperatorsRepo, WebRepo, type OperatorRow } from '@opencar/storage';
import type { OperationsContext } from './context.js';
import { OperationError } from './operation-error.js';

export interface OperatorView { id: string; email: string; createdAt: string }

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const view = (o: OperatorRow): OperatorView => ({ id: o.id, email: o.email, createdAt: new Date(o.created_at).toISOString() });

function checkPassword(p: string): string {
  if (p.length < 12 || p.length > 200) throw new OperationError('invalid', 'an operator password must be 12 to 200 characters');
  return p;
}

async function find(ctx: OperationsContext, ref: string): Promise<OperatorRow> {
  const repo = new OperatorsRepo(ctx.storage.db);
  const o = (await repo.get(ref)) ?? (await repo.findByEmail(ref.trim()));
  if (!o) throw new OperationError('not_found', `no operator with id or e-mail "${ref}"`);
  return o;
}

/** A new operator account for the admin page; the password is generated unless given, and shown once. */
export async function addOperator(ctx: OperationsContext, emailRaw: string, password?: string): Promise<{ operator: OperatorView; password: string }> {
  const email = emailRaw.trim().toLowerCase();
  if (!EMAIL.test(email) || email.length > 200) throw new OperationError('invalid', `"${emailRaw}" is not an e-mail address`);
  const next = checkPassword(password ?? randomToken(16));
  const row: OperatorRow = { id: uuid(), email, password_hash: await hashPassword(next), created_at: ctx.clock.now() };
  try {
    await new OperatorsRepo(ctx.storage.db).create(row);
  } catch (err) {
    if (err instanceof ConflictError) throw new OperationError('conflict', `an operator ${email} exists already`);
    throw err;
  }
  return { operator: view(row), password: next };
}

export async function listOperators(ctx: OperationsContext): Promise<OperatorView[]> {
  return (await new OperatorsRepo(ctx.storage.db).list()).map(view);
}

export async function resetOperatorPassword(ctx: OperationsContext, ref: string, password?: string): Promise<{ operator: OperatorView; password: string; endedSessions: number }> {
  const o = await find(ctx, ref);
  const next = checkPassword(password ?? randomToken(16));
  await new OperatorsRepo(ctx.storage.db).setPassword(o.id, await hashPassword(next));
  const endedSessions = await new WebRepo(ctx.storage.db).deleteSessionsOf('operator', o.id);
  return { operator: view(o), password: next, endedSessions };
}

export async function removeOperator(ctx: OperationsContext, ref: string): Promise<{ operator: OperatorView; removed: true }> {
  const o = await find(ctx, ref);
  await new WebRepo(ctx.storage.db).deleteSessionsOf('operator', o.id);
  await new OperatorsRepo(ctx.storage.db).remove(o.id);
  return { operator: view(o), removed: true };
}
