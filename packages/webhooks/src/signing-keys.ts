import { decryptSecret, type Clock } from '@opencar/core';
import type { Kysely } from 'kysely';
import { AccountsRepo, type Database } from '@opencar/storage';

interface Entry { amt: string; mode: string; at: number }

/** Apps' AMTs (the signing keys) and modes, unsealed on demand and cached briefly so rotation takes effect. */
export class SigningKeys {
  private readonly cache = new Map<string, Entry>();

  constructor(private readonly db: Kysely<Database>, private readonly secretKey: string, private readonly clock: Clock, private readonly ttlMs = 60_000) {}

  /** `db`: pass the open transaction when called inside one (SQLite has a single connection). */
  async get(appId: string, db: Kysely<Database> = this.db): Promise<{ amt: string; mode: string } | undefined> {
    const now = this.clock.now();
    const hit = this.cache.get(appId);
    if (hit && now - hit.at < this.ttlMs && now >= hit.at) return hit;
    const app = await new AccountsRepo(db).getApp(appId);
    if (!app) return undefined;
    const entry = { amt: decryptSecret(this.secretKey, app.amtEnc), mode: app.mode, at: now };
    this.cache.set(appId, entry);
    return entry;
  }

  forget(appId: string): void {
    this.cache.delete(appId);
  }
}
