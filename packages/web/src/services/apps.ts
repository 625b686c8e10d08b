import { encryptSecret, isAllowedRedirectUri, randomToken, sha256, uuid } from '@opencar/core';
import { AccountsRepo, AppCredentialsRepo, type App } from '@opencar/storage';
import { issueMachineCredential } from '@opencar/oauth';
import type { WebDeps } from '../deps.js';
import { APP_MODES, PERMISSIONS, type AppMode } from './permissions.js';

export interface AppSettings {
  name: string;
  logoUrl: string;
  /** One URI per line. */
  redirectUris: string;
  defaultScope: string[];
  mode: string;
}

export type SettingsProblem = 'name' | 'logo' | 'redirect' | 'scope' | 'mode';

export interface Parsed { name: string; logoUrl: string | null; redirectUris: string[]; defaultScope: string[]; mode: AppMode }

/** Validates settings; redirect URIs must take a form Connect accepts for this client id (wire-contract §2.2). */
export function parseSettings(s: AppSettings, clientId: string): { ok: true; value: Parsed } | { ok: false; problems: SettingsProblem[]; badUris: string[] } {
  const problems: SettingsProblem[] = [];
  const name = s.name.trim();
  if (!name || name.length > 80) problems.push('name');
  const logo = s.logoUrl.trim();
  if (logo && !/^https:\/\/[^\s]+$/.test(logo)) problems.push('logo');
  const uris = [...new Set(s.redirectUris.split(/\s+/).map((u) => u.trim()).filter(Boolean))];
  const badUris = uris.filter((u) => !isAllowedRedirectUri(u, clientId) || u.length > 500);
  if (uris.length === 0 || uris.length > 20 || badUris.length) problems.push('redirect');
  const scope = s.defaultScope.filter((p) => PERMISSIONS.includes(p));
  if (scope.length === 0 || scope.length !== s.defaultScope.length) problems.push('scope');
  if (!(APP_MODES as readonly string[]).includes(s.mode)) problems.push('mode');
  if (problems.length) return { ok: false, problems, badUris };
  return { ok: true, value: { name, logoUrl: logo || null, redirectUris: uris, defaultScope: scope, mode: s.mode as AppMode } };
}

export interface IssuedCredentials { clientId: string; clientSecret: string; amt: string; v3ClientId: string; v3ClientSecret: string }

/** Applications of a developer: creation, settings, credential rotation, deletion. */
export class Apps {
  private readonly repo: AccountsRepo;
  constructor(private readonly deps: WebDeps) {
    this.repo = new AccountsRepo(deps.storage.db);
  }

  list(developerId: string): Promise<App[]> {
    return this.repo.listApps(developerId);
  }

  /** The app when it exists and belongs to this developer (otherwise undefined: no cross-account reads). */
  async owned(developerId: string, appId: string): Promise<App | undefined> {
    const app = await this.repo.getApp(appId);
    return app && app.developerId === developerId ? app : undefined;
  }

  newClientId(): string { return uuid(); }

  async create(developerId: string, clientId: string, v: Parsed): Promise<{ app: App; credentials: IssuedCredentials }> {
    const clientSecret = randomToken(24);
    const amt = uuid();
    const app = await this.repo.createApp({
      id: clientId, developerId, name: v.name, logoUrl: v.logoUrl, clientSecretHash: sha256(clientSecret),
      amtHash: sha256(amt), amtEnc: encryptSecret(this.deps.secretKey, amt), redirectUris: v.redirectUris,
      defaultScope: v.defaultScope, mode: v.mode, simLatency: null,
    }, this.deps.clock.now());
    const v3 = await issueMachineCredential(this.deps.storage, this.deps.clock, clientId);
    return { app, credentials: { clientId, clientSecret, amt, v3ClientId: v3.clientId, v3ClientSecret: v3.clientSecret } };
  }

  async update(appId: string, v: Parsed): Promise<void> {
    await this.repo.updateApp(appId, { name: v.name, logoUrl: v.logoUrl, redirectUris: v.redirectUris, defaultScope: v.defaultScope, mode: v.mode }, this.deps.clock.now());
  }

  /** A new client secret; the old one stops working at once. Returned once, stored only hashed. */
  async rotateSecret(appId: string): Promise<string> {
    const secret = randomToken(24);
    await this.repo.updateApp(appId, { clientSecretHash: sha256(secret) }, this.deps.clock.now());
    return secret;
  }

  /** A new management token (management API, webhook signatures). Returned once. */
  async rotateAmt(appId: string): Promise<string> {
    const amt = uuid();
    await this.repo.updateApp(appId, { amtHash: sha256(amt), amtEnc: encryptSecret(this.deps.secretKey, amt) }, this.deps.clock.now());
    return amt;
  }

  /** New v3 machine credentials; the earlier ones and their application tokens stop working at once. Returned once. */
  rotateMachineCredential(appId: string) {
    return issueMachineCredential(this.deps.storage, this.deps.clock, appId);
  }

  /** The app's current v3 client id (the secret is stored only hashed), if it has one. */
  async machineClientId(appId: string): Promise<string | undefined> {
    return (await new AppCredentialsRepo(this.deps.storage.db).machineCredentials(appId))[0]?.client_id;
  }

  /** Disconnects every vehicle, revokes every token, then deletes the app. */
  async remove(appId: string): Promise<void> {
    if (this.deps.grants) await this.deps.grants.revokeApp(appId);
    await this.repo.deleteApp(appId, this.deps.clock.now());
  }
}

/** The Connect URL a "Try Connect" button opens for this app, in the app's mode. */
export function tryConnectUrl(app: App): string {
  const q = new URLSearchParams({
    response_type: 'code', client_id: app.id, redirect_uri: app.redirectUris[0] ?? '',
    scope: app.defaultScope.join(' '), mode: app.mode,
  });
  return `/oauth/authorize?${q.toString().replace(/\+/g, '%20')}`;
}
