import type { Kysely, Selectable } from 'kysely';
import type { Database } from '../database.js';
import type { OperatorsTable } from '../tables/operators.js';
import { ConflictError, isUniqueViolation } from '../errors.js';

export type OperatorRow = Selectable<OperatorsTable>;

/** Operator accounts of the admin page. */
export class OperatorsRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async create(row: OperatorRow): Promise<void> {
    try {
      await this.db.insertInto('operators').values(row).execute();
    } catch (err) {
      if (isUniqueViolation(err)) throw new ConflictError(`operator ${row.email} exists`);
      throw err;
    }
  }

  findByEmail(email: string): Promise<OperatorRow | undefined> {
    return this.db.selectFrom('operators').selectAll().where('email', '=', email.toLowerCase()).executeTakeFirst();
  }

  get(id: string): Promise<OperatorRow | undefined> {
    return this.db.selectFrom('operators').selectAll().where('id', '=', id).executeTakeFirst();
  }

  list(): Promise<OperatorRow[]> {
    return this.db.selectFrom('operators').selectAll().orderBy('created_at').orderBy('email').execute();
  }

  async setPassword(id: string, passwordHash: string): Promise<void> {
    await this.db.updateTable('operators').set({ password_hash: passwordHash }).where('id', '=', id).execute();
  }

  async remove(id: string): Promise<boolean> {
    const r = await this.db.deleteFrom('operators').where('id', '=', id).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }
}
