import { encryptSecret, randomToken, sha256, uuid } from '@opencar/core';
import { AccountsRepo, OperatorRepo, type App, type DeveloperRow } from '@opencar/storage';
import type { OperationsContext } from './context.js';
import { OperationError } from './operation-error.js';
import { findDeveloper } from './developers.js';

export interface AppView {
  id: string;
  name: string;
  developerId: string;
  developerEmail: string;
  mode: string;
  redirectUris: string[];
  connectedVehicles: number;
  createdAt: string;
}

export function appView(a: App, d: Pick<DeveloperRow, 'email'> | undefined, connectedVehicles: number): AppView {
  return {
    id: a.id, name: a.name, developerId: a.developerId, developerEmail: d?.email ?? '', mode: a.mode,
    redirectUris: a.redirectUris, connectedVehicles, createdAt: new Date(a.createdAt).toISOString(),
  };
}

export async function findApp(ctx: OperationsContext, id: string): Promise<App> {
  const app = await new AccountsRepo(ctx.storage.db).getApp(id);
  if (!app) throw new OperationError('not_found', `no application with client id "${id}"`);
  return app;
}

/** Every application, or those of one developer (id or e-mail). */
export async function listApps(ctx: OperationsContext, developer?: string): Promise<AppView[]> {
  const operator = new OperatorRepo(ctx.storage.db);
  const owner = developer ? await findDeveloper(ctx, developer) : undefined;
  const apps = await operator.listApps(owner?.id);
  const accounts = new AccountsRepo(ctx.storage.db);
  const emails = new Map<string, DeveloperRow | undefined>();
  const out: AppView[] = [];
  for (const a of apps) {
    if (!emails.has(a.developerId)) emails.set(a.developerId, await accounts.getDeveloper(a.developerId));
    out.push(appView(a, emails.get(a.developerId), await operator.connectedVehicles(a.id)));
  }
  return out;
}

export async function showApp(ctx: OperationsContext, id: string): Promise<AppView & { defaultScope: string[]; logoUrl: string | null; updatedAt: string }> {
  const a = await findApp(ctx, id);
  const d = await new AccountsRepo(ctx.storage.db).getDeveloper(a.developerId);
  const v = appView(a, d, await new OperatorRepo(ctx.storage.db).connectedVehicles(a.id));
  return { ...v, defaultScope: a.defaultScope, logoUrl: a.logoUrl, updatedAt: new Date(a.updatedAt).toISOString() };
}

/** A new client secret; the old one stops working at once. Returned once, stored only hashed. */
export async function rotateSecret(ctx: OperationsContext, id: string): Promise<{ clientId: string; clientSecret: string }> {
  const a = await findApp(ctx, id);
  const clientSecret = randomToken(24);
  await new AccountsRepo(ctx.storage.db).updateApp(a.id, { clientSecretHash: sha256(clientSecret) }, ctx.clock.now());
  return { clientId: a.id, clientSecret };
}

/** A new management token (management API, webhook signatures); the old one stops working at once. */
export async function rotateAmt(ctx: OperationsContext, id: string): Promise<{ clientId: string; amt: string }> {
  const a = await findApp(ctx, id);
  const amt = uuid();
  await new AccountsRepo(ctx.storage.db).updateApp(a.id, { amtHash: sha256(amt), amtEnc: encryptSecret(ctx.secretKey, amt) }, ctx.clock.now());
  return { clientId: a.id, amt };
}

/** Disconnects every vehicle and revokes every token of the app, then deletes it. */
export async function deleteApp(ctx: OperationsContext, id: string): Promise<{ clientId: string; deleted: true }> {
  const a = await findApp(ctx, id);
  await ctx.revokeApp(a.id);
  await new AccountsRepo(ctx.storage.db).deleteApp(a.id, ctx.clock.now());
  ctx.invalidatePlans();
  return { clientId: a.id, deleted: true };
}
