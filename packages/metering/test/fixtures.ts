import { pino } from 'pino';
import { encryptSecret, sha256 } from '@opencar/core';
import { AccountsRepo, type Storage } from '@opencar/storage';
import type { LedgerEntry } from '../src/index.js';

export const SECRET = 'metering-test-secret-key';
export const silent = pino({ level: 'silent' });

/** Creates a developer on `plan` with one app whose AMT is `amt-<appId>`. */
export async function seedApp(storage: Storage, appId: string, plan: string, planLimits: object | null = null, status = 'active'): Promise<{ amt: string }> {
  const repo = new AccountsRepo(storage.db);
  const devId = `dev-${appId}`;
  await repo.createDeveloper({ id: devId, email: `${appId}@example.com`, password_hash: null, name: appId, tos_version: null, tos_accepted_at: null, plan, plan_limits: planLimits ? JSON.stringify(planLimits) : null, status, created_at: 0 });
  const amt = `amt-${appId}`;
  await repo.createApp({ id: appId, developerId: devId, name: appId, logoUrl: null, clientSecretHash: sha256('s'), amtHash: sha256(amt), amtEnc: encryptSecret(SECRET, amt), redirectUris: ['https://a.example/cb'], defaultScope: [], mode: 'live', simLatency: null }, 0);
  return { amt };
}

let n = 0;
export function entry(over: Partial<LedgerEntry> & { appId: string; at: number }): LedgerEntry {
  n += 1;
  return { requestId: `req-${n}-${Math.random().toString(36).slice(2)}`, vehicleId: 'v1', userId: 'u1', endpoint: 'GET /v2.0/vehicles/:id/odometer', method: 'GET', status: 200, latencyMs: 3, units: 1, woke: false, requestClass: 'data', ...over };
}
