import { uuid, type Clock } from '@opencar/core';
import type { ConnectMode } from '@opencar/connectors';
import { OAuthRepo, type Storage } from '@opencar/storage';
import { issueTokenPair, type TokenResponse } from './tokens.js';

export interface TestConnection {
  appId: string;
  userId: string;
  vehicleIds: string[];
  permissions: string[];
  mode?: ConnectMode;
}

/**
 * Records a grant as if the owner had approved it in Connect and returns a fresh token pair —
 * for tests of features that sit behind an access token (vehicle API, webhooks, portal).
 */
export async function connectForTest(storage: Storage, clock: Clock, c: TestConnection): Promise<TokenResponse & { grantId: string }> {
  const repo = new OAuthRepo(storage.db);
  const grantId = uuid();
  await repo.createGrant({ id: grantId, appId: c.appId, userId: c.userId, mode: c.mode ?? 'simulated', permissions: c.permissions, vehicleIds: c.vehicleIds }, clock.now());
  const tokens = await issueTokenPair(repo, clock, { grantId, appId: c.appId, familyId: grantId });
  return { ...tokens, grantId };
}
