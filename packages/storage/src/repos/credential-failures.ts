import type { Kysely } from 'kysely';
import type { Database } from '../database.js';

/** Failed credential checks, shared by every process on the database (the credential throttle's log). */
export class CredentialFailuresRepo {
  constructor(private readonly db: Kysely<Database>) {}

  /** Failure times after `since`, oldest first, for each key asked for (one indexed query). */
  async recent(keys: readonly string[], since: number): Promise<Map<string, number[]>> {
    const out = new Map<string, number[]>(keys.map((k) => [k, []]));
    if (keys.length === 0) return out;
    const rows = await this.db.selectFrom('credential_failures').select(['key', 'at']).where('key', 'in', [...keys]).where('at', '>', since).orderBy('at').execute();
    for (const r of rows) out.get(r.key)?.push(Number(r.at));
    return out;
  }

  async add(keys: readonly string[], at: number): Promise<void> {
    if (keys.length) await this.db.insertInto('credential_failures').values(keys.map((key) => ({ key, at }))).execute();
  }

  async clear(key: string): Promise<void> {
    await this.db.deleteFrom('credential_failures').where('key', '=', key).execute();
  }

  /** Deletes every failure at or before `before`. */
  async prune(before: number): Promise<void> {
    await this.db.deleteFrom('credential_failures').where('at', '<=', before).execute();
  }
}
