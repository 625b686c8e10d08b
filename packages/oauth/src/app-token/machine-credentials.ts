import { randomBytes } from 'node:crypto';
import { randomToken, sha256, type Clock } from '@opencar/core';
import { AppCredentialsRepo, type Storage } from '@opencar/storage';

/** A v3 machine credential as issued: the secret is shown once and stored only hashed. */
export interface IssuedMachineCredential { clientId: string; clientSecret: string }

/** v3 client ids carry the `client_` prefix, so they never look like the legacy (UUID) client id. */
export const MACHINE_CLIENT_PREFIX = 'client_';

/**
 * Issues a machine credential for the client-credentials grant. With `replace` (rotation), the
 * app's earlier machine credentials and every application token they obtained stop working at once.
 */
export async function issueMachineCredential(storage: Storage, clock: Clock, appId: string, replace = true): Promise<IssuedMachineCredential> {
  const clientId = `${MACHINE_CLIENT_PREFIX}${randomBytes(16).toString('hex')}`;
  const clientSecret = randomToken(32);
  await new AppCredentialsRepo(storage.db).addMachineCredential(
    { client_id: clientId, app_id: appId, secret_hash: sha256(clientSecret), created_at: clock.now(), revoked_at: null }, replace);
  return { clientId, clientSecret };
}
