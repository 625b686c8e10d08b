import type { Kysely } from 'kysely';
import type { Database } from '../database.js';

/** Failed sign-ins, shared by every process on the database (see migration 0012). */
export class SignInFailuresRepo {
  constructor(private readonly db: Kysely<Database>) {}

  /** Failure times of `key` after `since`, oldest first. */
  async since(key: string, since: number): Promise<number[]> {
    const rows = await this.db.selectFrom('sign_in_failures').select('at').where('key', '=', key).where('at', '>', since).orderBy('at').execute();
    return rows.map((r) => Number(r.at));
  }

  async add(key: string, at: number): Promise<void> {
    await this.db.insertInto('sign_in_failures').values({ key, at }).execute();
  }

  async clear(key: string): Promise<void> {
    await this.db.deleteFrom('sign_in_failures').where('key', '=', key).execute();
  }

  /** Deletes every failure at or before `before`. */
  async prune(before: number): Promise<void> {
    await this.db.deleteFrom('sign_in_failures').where('at', '<=', before).execute();
  }
}
