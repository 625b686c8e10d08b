import type { Kysely, Selectable } from 'kysely';
import type { Database } from '../database.js';
import type { RequestDetailsTable } from '../tables/request-details.js';

export type RequestDetailRow = Selectable<RequestDetailsTable>;

/** Headers and bodies of logged requests: written in batches, read one at a time, purged by age. */
export class RequestDetailsRepo {
  constructor(private readonly db: Kysely<Database>) {}

  /** Inserts a batch in one statement; a request id already stored is left as it is. */
  async insertMany(rows: RequestDetailRow[]): Promise<void> {
    if (rows.length === 0) return;
    await this.db.insertInto('request_details').values(rows).onConflict((oc) => oc.column('request_id').doNothing()).execute();
  }

  async one(appId: string, requestId: string): Promise<RequestDetailRow | undefined> {
    const r = await this.db.selectFrom('request_details').selectAll().where('app_id', '=', appId).where('request_id', '=', requestId).executeTakeFirst();
    return r && { ...r, at: Number(r.at) };
  }

  /** Deletes the detail of requests made before `cutoff`; resolves to how many rows went. */
  async purgeBefore(cutoff: number): Promise<number> {
    const r = await this.db.deleteFrom('request_details').where('at', '<', cutoff).executeTakeFirst();
    return Number(r.numDeletedRows);
  }
}
