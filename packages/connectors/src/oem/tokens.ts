import { decryptSecret, encryptSecret, type Clock } from '@opencar/core';
import type { OemRepo, OemTokenRow } from '@opencar/storage';
import { VehicleError } from '../errors.js';

/**
 * OEM OAuth tokens: sealed at rest under the platform key, one family per (OEM account, app),
 * refreshed before they expire. OEMs such as Tesla make refresh tokens single-use, so a rotation
 * must be stored exactly once: the process that refreshes holds a lease on the row's version, and
 * stores the new tokens only over the version it started from; every other process (and every
 * concurrent request in this one) waits for that version and uses its tokens.
 */
export interface TokenSet {
  accessToken: string;
  /** Null when the OEM issued none (no offline access); an OEM that does not rotate repeats the old one. */
  refreshToken: string | null;
  /** Epoch ms. */
  expiresAt: number;
  scopes: string[];
}

/** The OEM refused the refresh token (used, expired or revoked): only a new sign-in helps. */
export class OemAuthRejected extends Error {
  constructor(message: string) { super(message); this.name = 'OemAuthRejected'; }
}

export interface OemSession {
  accountId: string;
  appId: string;
  accessToken: string;
  scopes: string[];
  version: number;
}

export interface OemTokensOptions {
  repo: OemRepo;
  clock: Clock;
  secretKey: string;
  /** Exchanges a refresh token for new tokens; throws OemAuthRejected when the OEM refuses it. */
  refresh: (refreshToken: string) => Promise<TokenSet>;
  /** Refresh this long before expiry (default 5 min). */
  skewMs?: number;
  /** How long a refreshing process holds the row (default 30 s). */
  leaseMs?: number;
  /** How often a waiting process looks for the new version (default 200 ms). */
  pollMs?: number;
}

const authFailed = (why: string) => new VehicleError({ kind: 'oem_auth_failed' }, why);

export class OemTokens {
  private readonly inFlight = new Map<string, Promise<OemSession>>();
  private readonly skewMs: number;
  private readonly leaseMs: number;
  private readonly pollMs: number;

  constructor(private readonly o: OemTokensOptions) {
    this.skewMs = o.skewMs ?? 5 * 60_000;
    this.leaseMs = o.leaseMs ?? 30_000;
    this.pollMs = o.pollMs ?? 200;
  }

  /** Stores the tokens of a fresh sign-in for (account, app), replacing any earlier family. */
  async store(accountId: string, appId: string, t: TokenSet): Promise<void> {
    await this.o.repo.putTokens(accountId, appId, this.seal(t), this.o.clock.now());
  }

  async remove(accountId: string, appId: string): Promise<void> {
    await this.o.repo.deleteTokens(accountId, appId);
  }

  /** A valid access token for (account, app), refreshed first when it is about to expire. */
  async session(accountId: string, appId: string): Promise<OemSession> {
    const row = await this.row(accountId, appId);
    if (Number(row.expires_at) - this.skewMs > this.o.clock.now()) return this.open(row);
    return this.rotate(row);
  }

  /** After the OEM rejected `stale` (401): the tokens another request already rotated to, or a forced refresh. */
  async renew(stale: OemSession): Promise<OemSession> {
    const row = await this.row(stale.accountId, stale.appId);
    if (Number(row.version) !== stale.version) return this.session(stale.accountId, stale.appId);
    return this.rotate(row);
  }

  private async row(accountId: string, appId: string): Promise<OemTokenRow> {
    const row = await this.o.repo.tokens(accountId, appId);
    if (!row) throw authFailed('no OEM tokens for this app: the owner must connect the vehicle again');
    if (row.status !== 'active') throw authFailed('the OEM refused the refresh token: the owner must sign in again');
    return row;
  }

  private rotate(row: OemTokenRow): Promise<OemSession> {
    const key = `${row.account_id}|${row.app_id}|${row.version}`;
    let p = this.inFlight.get(key);
    if (!p) {
      p = this.rotateOnce(row).finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, p);
    }
    return p;
  }

  private async rotateOnce(row: OemTokenRow): Promise<OemSession> {
    const { repo, clock } = this.o;
    const version = Number(row.version);
    const maxWaits = Math.ceil(this.leaseMs / Math.max(1, this.pollMs)) + 2;
    for (let i = 0; i <= maxWaits; i++) {
      const now = clock.now();
      if (await repo.claimRefresh(row.account_id, row.app_id, version, now, now + this.leaseMs)) {
        return this.refreshHolding(row, version);
      }
      await new Promise((r) => setTimeout(r, this.pollMs));
      const current = await this.row(row.account_id, row.app_id);
      if (Number(current.version) !== version) return this.open(current);
    }
    throw new VehicleError({ kind: 'timeout' }, 'another process did not finish refreshing the OEM tokens');
  }

  private async refreshHolding(row: OemTokenRow, version: number): Promise<OemSession> {
    const { repo, clock, secretKey } = this.o;
    if (!row.refresh_sealed) {
      await repo.markFailed(row.account_id, row.app_id, version, clock.now());
      throw authFailed('the OEM issued no refresh token (offline access missing): the owner must sign in again');
    }
    const oldRefresh = decryptSecret(secretKey, row.refresh_sealed);
    let fresh: TokenSet;
    try {
      fresh = await this.o.refresh(oldRefresh);
    } catch (err) {
      if (err instanceof OemAuthRejected) {
        await repo.markFailed(row.account_id, row.app_id, version, clock.now());
        throw authFailed(err.message);
      }
      await repo.releaseLease(row.account_id, row.app_id, version);
      throw err;
    }
    const t: TokenSet = { ...fresh, refreshToken: fresh.refreshToken ?? oldRefresh };
    if (!await repo.storeRotation(row.account_id, row.app_id, version, this.seal(t), clock.now())) {
      // Our lease ran out and another process rotated meanwhile; its tokens are the current ones.
      return this.open(await this.row(row.account_id, row.app_id));
    }
    return { accountId: row.account_id, appId: row.app_id, accessToken: t.accessToken, scopes: t.scopes, version: version + 1 };
  }

  private open(row: OemTokenRow): OemSession {
    return {
      accountId: row.account_id, appId: row.app_id, accessToken: decryptSecret(this.o.secretKey, row.access_sealed),
      scopes: JSON.parse(row.scopes) as string[], version: Number(row.version),
    };
  }

  private seal(t: TokenSet) {
    const k = this.o.secretKey;
    return { accessSealed: encryptSecret(k, t.accessToken), refreshSealed: t.refreshToken ? encryptSecret(k, t.refreshToken) : null, expiresAt: t.expiresAt, scopes: t.scopes };
  }
}
