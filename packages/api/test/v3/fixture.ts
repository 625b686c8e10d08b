import { sha256, uuid } from '@opencar/core';
import { AccountsRepo } from '@opencar/storage';
import { connectForTest, issueMachineCredential, PERMISSIONS } from '@opencar/oauth';
import { testApp } from '../../../../apps/server/test/helpers.js';

export const ALL_PERMISSIONS: string[] = [...PERMISSIONS];

/** A v3 app: legacy client id/secret, a v3 machine credential and an application token. */
export interface V3App { id: string; legacySecret: string; v3ClientId: string; v3Secret: string }

/** The full platform on in-memory SQLite with two apps, each holding v3 machine credentials. */
export async function v3World(env: Record<string, string> = {}) {
  const t = await testApp(env);
  const accounts = new AccountsRepo(t.platform.storage.db);
  const devId = uuid();
  await accounts.createDeveloper({ id: devId, email: `dev-${devId}@example.com`, password_hash: null, name: 'Dev', tos_version: null, tos_accepted_at: null, plan: 'enterprise', plan_limits: null, status: 'active', created_at: t.clock.now() });
  const makeApp = async (name: string): Promise<V3App> => {
    const id = uuid();
    const legacySecret = `legacy-${id}`;
    await accounts.createApp({
      id, developerId: devId, name, logoUrl: null, clientSecretHash: sha256(legacySecret), amtHash: sha256(`amt-${id}`), amtEnc: 'x',
      redirectUris: ['https://app.example/cb'], defaultScope: ['read_vehicle_info'], mode: 'simulated', simLatency: null,
    }, t.clock.now());
    const m = await issueMachineCredential(t.platform.storage, t.clock, id);
    return { id, legacySecret, v3ClientId: m.clientId, v3Secret: m.clientSecret };
  };
  /** Signs in to a simulated brand account and connects its first vehicle to `app` with `permissions`. */
  const connect = async (app: V3App, email: string, permissions = ALL_PERMISSIONS, make = 'TESLA') => {
    const r = await t.platform.backend.signIn({ make, email, password: 'x', mode: 'simulated', country: 'US' });
    if (!r.ok) throw new Error('sign-in failed');
    const vehicleIds = r.vehicles.map((v) => v.vehicleId);
    const tokens = await connectForTest(t.platform.storage, t.clock, { appId: app.id, userId: r.accountId, vehicleIds, permissions, mode: 'simulated' });
    return { userId: r.accountId, vehicleId: vehicleIds[0]!, vehicleIds, userToken: tokens.access_token };
  };
  const appToken = async (app: V3App): Promise<string> => {
    const res = await t.app.inject({ method: 'POST', url: '/oauth2/token', payload: { grant_type: 'client_credentials', client_id: app.v3ClientId, client_secret: app.v3Secret } });
    if (res.statusCode !== 200) throw new Error(`token: ${res.statusCode} ${res.body}`);
    return res.json().access_token as string;
  };
  return { ...t, makeApp, connect, appToken };
}

export const auth = (token: string, userId?: string) => ({ authorization: `Bearer ${token}`, ...(userId ? { 'sc-user-id': userId } : {}) });
