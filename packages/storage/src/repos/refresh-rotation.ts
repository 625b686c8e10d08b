import type { Kysely } from 'kysely';
import type SqliteDatabase from 'better-sqlite3';
import type { Database } from '../database.js';
import type { Storage } from '../open.js';
import { onSqlite } from '../sqlite-direct.js';
import { OAuthRepo, revokedAt, type TokenRow } from './oauth.js';

/** One use of a refresh token: who presents it, when, and the pair that replaces it. */
export interface RotationRequest {
  /** sha256 of the presented refresh token. */
  hash: string;
  /** The authenticated client presenting it. */
  appId: string;
  now: number;
  /** After its first use, a refresh token is still honoured this long (retries, parallel workers). */
  graceMs: number;
  /** The replacement pair (hashes only), stored when the rotation succeeds. */
  next: { access: NextToken; refresh: NextToken };
}

export interface NextToken { id: string; hash: string; expiresAt: number }

/**
 * What the rotation found. `unknown`: no refresh token of this client has that hash; `revoked`: the
 * token, its family or its grant is revoked; `expired`; `reused`: used before, past the grace period,
 * so its whole family was revoked (`revoked`: 1, or 0 if it already was); `rotated`: the token is marked used (at its first use)
 * and the replacement pair is stored.
 */
export type RotationOutcome =
  | { kind: 'unknown' } | { kind: 'revoked' } | { kind: 'expired' }
  | { kind: 'reused'; revoked: number }
  | { kind: 'rotated'; grantId: string; familyId: string };

/** Rotates refresh tokens (on SQLite, the check, the mark of first use and the replacement commit together or not at all). */
export interface RefreshRotation {
  rotate(req: RotationRequest): Promise<RotationOutcome>;
}

/** The token row and its revocation (its own, its family's or its grant's: `revokedAt`), as the rotation reads them. */
interface Found { id: string; kind: string; app_id: string; grant_id: string; family_id: string; expires_at: number; used_at: number | null; revoked_at: number | null }

function pairRows(req: RotationRequest, found: Found): TokenRow[] {
  const base = { grant_id: found.grant_id, app_id: req.appId, family_id: found.family_id, created_at: req.now, used_at: null, revoked_at: null };
  return [
    { ...base, id: req.next.access.id, token_hash: req.next.access.hash, kind: 'access', expires_at: req.next.access.expiresAt },
    { ...base, id: req.next.refresh.id, token_hash: req.next.refresh.hash, kind: 'refresh', expires_at: req.next.refresh.expiresAt },
  ];
}

/** The decision through the repository (the SQLite batch takes the same steps synchronously); `markUsed` is true only for the first use. */
async function decide(req: RotationRequest, found: Found | undefined, io: {
  markUsed(id: string, now: number): boolean | Promise<boolean>;
  usedAt(id: string): number | null | undefined | Promise<number | null | undefined>;
  revokeFamily(familyId: string, now: number): number | Promise<number>;
  insert(rows: TokenRow[]): void | Promise<void>;
}): Promise<RotationOutcome> {
  if (!found || found.kind !== 'refresh' || found.app_id !== req.appId) return { kind: 'unknown' };
  if (found.revoked_at !== null) return { kind: 'revoked' };
  if (req.now >= found.expires_at) return { kind: 'expired' };
  let usedAt = found.used_at;
  if (usedAt === null && !(await io.markUsed(found.id, req.now))) usedAt = (await io.usedAt(found.id)) ?? req.now;
  if (usedAt !== null && req.now - usedAt > req.graceMs) return { kind: 'reused', revoked: await io.revokeFamily(found.family_id, req.now) };
  await io.insert(pairRows(req, found));
  return { kind: 'rotated', grantId: found.grant_id, familyId: found.family_id };
}

const num = (v: number | bigint | null): number | null => (v === null ? null : Number(v));
type Times = 'expires_at' | 'used_at' | 'revoked_at';

/**
 * PostgreSQL (and any storage without a raw SQLite handle): one statement per step, as few round
 * trips as the steps need; the conditional UPDATE keeps the first use single under concurrency
 * across processes. Should storing the new pair fail, the first use stays marked, and a retry
 * within the grace period gets a pair.
 */
class RepoRotation implements RefreshRotation {
  private readonly repo: OAuthRepo;
  constructor(db: Kysely<Database>) { this.repo = new OAuthRepo(db); }

  async rotate(req: RotationRequest): Promise<RotationOutcome> {
    const hit = await this.repo.findTokenWithGrant(req.hash);
    return decide(req, hit?.token, {
      markUsed: (id, now) => this.repo.markRefreshUsed(id, now),
      usedAt: async () => (await this.repo.findTokenWithGrant(req.hash))?.token.used_at,
      revokeFamily: (familyId, now) => this.repo.revokeFamily(familyId, now),
      insert: (rows) => this.repo.insertTokens(rows),
    });
  }
}

/** Most rotations one SQLite transaction carries. */
export const ROTATION_BATCH_MAX = 256;

interface Queued { req: RotationRequest; resolve(o: RotationOutcome): void; reject(err: unknown): void }

/**
 * SQLite: group commit. Rotations asked for in the same event-loop turn run in one IMMEDIATE
 * transaction on the storage's connection (`onSqlite`: never inside another caller's open
 * transaction; the statements are synchronous, so no other query interleaves), with statements
 * prepared once; each caller is answered only after that transaction committed.
 * Every rotation is decided inside the transaction, one after another, exactly as it would be
 * alone; if the batch fails, each rotation is retried in a transaction of its own, so one failure
 * never fails the others.
 */
class SqliteRotation implements RefreshRotation {
  private queue: Queued[] = [];
  private scheduled = false;
  private readonly find: SqliteDatabase.Statement;
  private readonly markUsed: SqliteDatabase.Statement;
  private readonly usedAt: SqliteDatabase.Statement;
  private readonly revokeFamily: SqliteDatabase.Statement;
  private readonly insert: SqliteDatabase.Statement;
  private readonly runAll: SqliteDatabase.Transaction<(batch: Queued[]) => RotationOutcome[]>;

  constructor(private readonly db: Kysely<Database>, private readonly raw: SqliteDatabase.Database) {
    this.find = raw.prepare(`select t.id, t.kind, t.app_id, t.grant_id, t.family_id, t.expires_at, t.used_at,
        t.revoked_at, f.revoked_at as family_revoked_at, g.revoked_at as grant_revoked_at
      from oauth_tokens t join oauth_grants g on g.id = t.grant_id left join oauth_revoked_families f on f.family_id = t.family_id
      where t.token_hash = ?`);
    this.markUsed = raw.prepare('update oauth_tokens set used_at = ? where id = ? and used_at is null');
    this.usedAt = raw.prepare('select used_at from oauth_tokens where id = ?').pluck();
    this.revokeFamily = raw.prepare('insert into oauth_revoked_families (family_id, revoked_at) values (?, ?) on conflict (family_id) do nothing');
    this.insert = raw.prepare(`insert into oauth_tokens (id, token_hash, kind, grant_id, app_id, family_id, created_at, expires_at, used_at, revoked_at)
      values (?, ?, ?, ?, ?, ?, ?, ?, null, null)`);
    this.runAll = raw.transaction((batch: Queued[]) => batch.map((q) => this.decideNow(q.req)));
  }

  rotate(req: RotationRequest): Promise<RotationOutcome> {
    return new Promise((resolve, reject) => {
      this.queue.push({ req, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => void this.flush());
      }
    });
  }

  /** One rotation, decided as `decide` does, with this connection's synchronous statements (inside the batch's transaction). */
  private decideNow(req: RotationRequest): RotationOutcome {
    type Row = Omit<Found, Times> & Record<Times | 'family_revoked_at' | 'grant_revoked_at', number | bigint | null>;
    const row = this.find.get(req.hash) as Row | undefined;
    const found = row && { ...row, expires_at: Number(row.expires_at), used_at: num(row.used_at), revoked_at: revokedAt(row.revoked_at, row.family_revoked_at, row.grant_revoked_at) };
    if (!found || found.kind !== 'refresh' || found.app_id !== req.appId) return { kind: 'unknown' };
    if (found.revoked_at !== null) return { kind: 'revoked' };
    if (req.now >= found.expires_at) return { kind: 'expired' };
    let usedAt = found.used_at;
    if (usedAt === null && this.markUsed.run(req.now, found.id).changes !== 1) usedAt = num(this.usedAt.get(found.id) as number | bigint | null) ?? req.now;
    if (usedAt !== null && req.now - usedAt > req.graceMs) return { kind: 'reused', revoked: this.revokeFamily.run(found.family_id, req.now).changes };
    const { access, refresh } = req.next;
    this.insert.run(access.id, access.hash, 'access', found.grant_id, req.appId, found.family_id, req.now, access.expiresAt);
    this.insert.run(refresh.id, refresh.hash, 'refresh', found.grant_id, req.appId, found.family_id, req.now, refresh.expiresAt);
    return { kind: 'rotated', grantId: found.grant_id, familyId: found.family_id };
  }

  private async flush(): Promise<void> {
    const batch = this.queue.splice(0, ROTATION_BATCH_MAX);
    if (this.queue.length > 0) setImmediate(() => void this.flush());
    else this.scheduled = false;
    try {
      await onSqlite(this.db, this.raw, () => this.commit(batch));
    } catch (err) {
      for (const q of batch) q.reject(err);
    }
  }

  /** Commits the batch in one transaction, or (if that fails) each rotation in one of its own; answers every caller. */
  private commit(batch: Queued[]): void {
    let outcomes: RotationOutcome[] | undefined;
    try {
      outcomes = this.runAll.immediate(batch);
    } catch {
      // Alone, each rotation commits or fails by itself.
      for (const q of batch) {
        try { q.resolve(this.runAll.immediate([q])[0]!); } catch (err) { q.reject(err); }
      }
      return;
    }
    batch.forEach((q, i) => q.resolve(outcomes[i]!));
  }
}

/** The rotation for this storage: group-committed on SQLite, through the repository elsewhere. */
export function refreshRotation(storage: Pick<Storage, 'db' | 'sqlite'>): RefreshRotation {
  return storage.sqlite ? new SqliteRotation(storage.db, storage.sqlite) : new RepoRotation(storage.db);
}
