import { decryptSecret } from '@opencar/core';
import type { Kysely } from 'kysely';
import type { Database } from '@opencar/storage';

interface Entry { amt: string; mode: string; amtHash: string }

/**
 * Apps' AMTs (the signing keys) and modes. Every lookup reads the app's current AMT hash and mode
 * (one row by primary key); the sealed AMT is only unsealed again when the hash changed, so a rotated
 * AMT signs the very next delivery.
 */
export class SigningKeys {
  private readonly cache = new Map<string, Entry>();

  constructor(private readonly db: Kysely<Database>, private readonly secretKey: string) {}

  /** `db`: pass the open transaction when called inside one (SQLite has a single connection). */
  async get(appId: string, db: Kysely<Database> = this.db): Promise<{ amt: string; mode: string } | undefined> {
    const app = await db.selectFrom('apps').select(['amt_hash', 'mode', 'amt_enc']).where('id', '=', appId).where('deleted_at', 'is', null).executeTakeFirst();
    if (!app) { this.cache.delete(appId); return undefined; }
    return this.entry(appId, app);
  }

  /** `get` for several apps in one query (a batch of deliveries or events); deleted apps are absent. */
  async getMany(appIds: Iterable<string>, db: Kysely<Database> = this.db): Promise<Map<string, { amt: string; mode: string }>> {
    const ids = [...new Set(appIds)];
    const out = new Map<string, { amt: string; mode: string }>();
    if (ids.length === 0) return out;
    const rows = await db.selectFrom('apps').select(['id', 'amt_hash', 'mode', 'amt_enc']).where('id', 'in', ids).where('deleted_at', 'is', null).execute();
    for (const app of rows) out.set(app.id, this.entry(app.id, app));
    for (const id of ids) if (!out.has(id)) this.cache.delete(id);
    return out;
  }

  private entry(appId: string, app: { amt_hash: string; mode: string; amt_enc: string }): { amt: string; mode: string } {
    const hit = this.cache.get(appId);
    if (hit && hit.amtHash === app.amt_hash) return { amt: hit.amt, mode: app.mode };
    const entry = { amt: decryptSecret(this.secretKey, app.amt_enc), mode: app.mode, amtHash: app.amt_hash };
    this.cache.set(appId, entry);
    return entry;
  }
}
