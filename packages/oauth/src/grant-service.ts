import { ApiError, sha256, type Clock } from '@opencar/core';
import type { ConnectMode } from '@opencar/connectors';
import { AppCredentialsRepo, connectionIdOf, OAuthRepo, type ConnectionRow, type Storage } from '@opencar/storage';
import type { AccessContext, AppAccess, Connection, ConnectionFilter, GrantService } from './contract.js';
import { tokenKey } from './tokens.js';

/** How long a verified access token is answered from memory (bounded staleness across processes). */
export const ACCESS_CACHE_TTL_MS = 1000;
const CACHE_MAX = 50_000;

interface CacheEntry { ctx: AccessContext | undefined; until: number }

function toConnection(r: ConnectionRow): Connection {
  return {
    userId: r.user_id, vehicleId: r.vehicle_id, appId: r.app_id, grantId: r.grant_id, mode: r.mode as ConnectMode,
    permissions: JSON.parse(r.permissions) as string[], connectedAt: Number(r.connected_at), externalId: r.external_id ?? null,
    id: r.connection_id ?? connectionIdOf(r.app_id, r.user_id, r.vehicle_id),
  };
}

function encodeCursor(r: ConnectionRow): string {
  return Buffer.from(JSON.stringify([Number(r.connected_at), r.user_id, r.vehicle_id])).toString('base64url');
}

function decodeCursor(cursor: string): { connectedAt: number; userId: string; vehicleId: string } {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(v) && v.length === 3 && typeof v[0] === 'number' && typeof v[1] === 'string' && typeof v[2] === 'string') {
      return { connectedAt: v[0], userId: v[1], vehicleId: v[2] };
    }
  } catch { /* fall through */ }
  throw new ApiError('VALIDATION', { description: 'The cursor is not one this API returned.' });
}

/**
 * Grants and tokens as the rest of the platform sees them. Access-token verification is one sha256
 * and one indexed lookup (token joined with its grant), answered from a short in-process cache that
 * is cleared at once by every revocation made through this process. The cache is keyed by the token
 * itself (held in memory only, for at most ACCESS_CACHE_TTL_MS), so a hit costs no hashing.
 */
/** Called when an app no longer reaches any vehicle of an owner (or of anyone, without `userId`). */
export type AccessEndedHook = (appId: string, userId?: string) => Promise<void>;

export class StoredGrantService implements GrantService {
  readonly repo: OAuthRepo;
  private readonly appRepo: AppCredentialsRepo;
  private readonly cache = new Map<string, CacheEntry>();
  private readonly appCache = new Map<string, { ctx: AppAccess | undefined; until: number }>();
  private readonly ended: AccessEndedHook[] = [];
  /** Bumped by every invalidation: a lookup that started before one does not refill the cache. */
  private generation = 0;

  constructor(storage: Storage, private readonly clock: Clock, private readonly cacheMax = CACHE_MAX) {
    this.repo = new OAuthRepo(storage.db);
    this.appRepo = new AppCredentialsRepo(storage.db);
  }

  async verifyAppToken(token: string): Promise<AppAccess | undefined> {
    if (!token || token.length > 512) return undefined;
    const now = this.clock.now();
    const hit = this.appCache.get(token);
    if (hit && hit.until > now) return hit.ctx && hit.ctx.expiresAt > now ? hit.ctx : undefined;
    const generation = this.generation;
    const row = await this.appRepo.findAppToken(sha256(token));
    const ctx = row && row.revoked_at === null && row.expires_at > now ? { tokenId: row.id, appId: row.app_id, expiresAt: row.expires_at } : undefined;
    if (generation !== this.generation) return ctx;
    if (this.appCache.size >= this.cacheMax) this.appCache.clear();
    this.appCache.set(token, { ctx, until: now + ACCESS_CACHE_TTL_MS });
    return ctx;
  }

  async verifyAccessToken(token: string): Promise<AccessContext | undefined> {
    if (!token || token.length > 512) return undefined;
    const now = this.clock.now();
    const hit = this.cache.get(token);
    if (hit && hit.until > now) return hit.ctx && hit.ctx.expiresAt > now ? hit.ctx : undefined;
    const generation = this.generation;
    const found = await this.repo.findTokenWithGrant(tokenKey(token));
    let ctx: AccessContext | undefined;
    if (found && found.token.kind === 'access' && found.token.revoked_at === null && found.grant.revokedAt === null && found.token.expires_at > now) {
      ctx = {
        tokenId: found.token.id,
        grantId: found.grant.id,
        appId: found.grant.appId,
        userId: found.grant.userId,
        mode: found.grant.mode as ConnectMode,
        permissions: new Set(found.grant.permissions),
        vehicleIds: Object.freeze([...found.grant.vehicleIds]),
        expiresAt: found.token.expires_at,
      };
    }
    if (generation !== this.generation) return ctx;
    this.cache.delete(token);
    if (this.cache.size >= this.cacheMax) this.evictCache(now);
    this.cache.set(token, { ctx, until: now + ACCESS_CACHE_TTL_MS });
    return ctx;
  }

  /** Room for one more entry: expired entries go first, then the oldest (the map keeps insertion order). */
  private evictCache(now: number): void {
    for (const [k, e] of this.cache) if (e.until <= now) this.cache.delete(k);
    for (const k of this.cache.keys()) {
      if (this.cache.size < this.cacheMax) return;
      this.cache.delete(k);
    }
  }

  /** Number of cached verifications (for tests and metrics). */
  get cacheSize(): number { return this.cache.size; }

  /** Forgets every cached verification (called after any revocation or disconnect). */
  invalidate(): void {
    this.generation++;
    this.cache.clear();
    this.appCache.clear();
  }

  async listConnections(appId: string, filter: ConnectionFilter, page: { limit: number; cursor?: string }) {
    const limit = Math.max(1, Math.min(100, Math.floor(page.limit)));
    const after = page.cursor ? decodeCursor(page.cursor) : undefined;
    const rows = await this.repo.listConnections(appId, filter, limit + 1, after);
    const more = rows.length > limit;
    const pageRows = more ? rows.slice(0, limit) : rows;
    const last = pageRows[pageRows.length - 1];
    return { connections: pageRows.map(toConnection), cursor: more && last ? encodeCursor(last) : null };
  }

  async connectionsPage(appId: string, filter: ConnectionFilter, page: { offset: number; limit: number }) {
    const { rows, total } = await this.repo.pageConnections(appId, filter, page.offset, Math.max(1, Math.min(100, Math.floor(page.limit))));
    return { connections: rows.map(toConnection), total };
  }

  /**
   * Runs `hook` once an app's access to an owner ends (the last connection between them removed) or
   * the app is revoked; real connectors use it to delete the OEM tokens the app held.
   */
  whenAccessEnds(hook: AccessEndedHook): void {
    this.ended.push(hook);
  }

  async deleteConnections(appId: string, filter: ConnectionFilter) {
    const removed = await this.repo.deleteConnections(appId, filter, this.clock.now());
    this.invalidate();
    for (const userId of new Set(removed.map((r) => r.user_id))) {
      if ((await this.repo.listConnections(appId, { userId }, 1)).length === 0) for (const h of this.ended) await h(appId, userId);
    }
    return removed.map((r) => ({ userId: r.user_id, vehicleId: r.vehicle_id }));
  }

  async ownerConnections(userId: string) {
    return (await this.repo.ownerConnections(userId)).map(toConnection);
  }

  appVehicleIds(appId: string) {
    return this.repo.appVehicleIds(appId);
  }

  async revokeApp(appId: string) {
    await this.repo.revokeApp(appId, this.clock.now());
    await this.appRepo.revokeApp(appId, this.clock.now());
    this.invalidate();
    for (const h of this.ended) await h(appId);
  }
}
