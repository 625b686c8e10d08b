import { invalidGrant, invalidRequest, sha256, type Clock } from '@opencar/core';
import type { App, OAuthRepo } from '@opencar/storage';
import { issueTokenPair, type TokenResponse } from '../tokens.js';
import { verifiesS256 } from './pkce.js';
import { unknownGrant } from './unknown-grant.js';

/** The Node SDK sends the literal "undefined" when no redirect URI is configured (wire-contract §16.5). */
const given = (v: string | undefined) => (v === undefined || v === '' || v === 'undefined' ? undefined : v);

/**
 * grant_type=authorization_code: single use, 10 minutes, bound to the client, the redirect URI and
 * (when the authorize request carried one) the PKCE challenge; a code_verifier for a code issued
 * without a challenge is refused. Replaying a used code revokes every token issued from it.
 */
export async function authorizationCodeGrant(repo: OAuthRepo, clock: Clock, app: App, body: Record<string, string>, onRevoke: () => void): Promise<TokenResponse> {
  if (!body.code) throw invalidRequest('code is required.');
  const code = await repo.getCodeByHash(sha256(body.code));
  if (!code || code.app_id !== app.id) throw unknownGrant('The authorization code is invalid.');
  const now = clock.now();
  if (code.used_at !== null) {
    await repo.revokeFamily(code.id, now);
    onRevoke();
    throw invalidGrant('The authorization code has already been used; tokens issued from it are revoked.');
  }
  if (now >= Number(code.expires_at)) throw invalidGrant('The authorization code has expired.');
  const redirect = given(body.redirect_uri);
  const expected = code.redirect_uri ?? app.redirectUris[0];
  if ((code.redirect_uri !== null || redirect !== undefined) && redirect !== expected) {
    throw invalidGrant('redirect_uri does not match the one used for Connect.');
  }
  if (code.code_challenge && !verifiesS256(body.code_verifier, code.code_challenge)) {
    throw invalidGrant('code_verifier does not match the code_challenge.');
  }
  // A verifier for a code issued without a challenge means the challenge was lost on the way
  // (a downgrade): refuse, as RFC 9700 §2.1.1 asks, rather than ignore the verifier.
  if (!code.code_challenge && body.code_verifier !== undefined) {
    throw invalidGrant('code_verifier was sent, but the authorization request carried no code_challenge.');
  }
  if (!(await repo.consumeCode(code.id, now))) {
    await repo.revokeFamily(code.id, now);
    onRevoke();
    throw invalidGrant('The authorization code has already been used; tokens issued from it are revoked.');
  }
  const grant = await repo.getGrant(code.grant_id);
  if (!grant || grant.revokedAt !== null) throw invalidGrant('The authorization behind this code has been revoked.');
  return issueTokenPair(repo, clock, { grantId: grant.id, appId: app.id, familyId: code.id });
}
