import { sql, type Kysely } from 'kysely';
import type { Database } from '../database.js';

export interface PurgeCounts { ledgerRows: number; webhookAttempts: number; webhookDeliveries: number; chargeObservations: number; mailMessages: number }

/**
 * Detail older than a cut-off: request-ledger rows of months whose statement is written (usage
 * counters and statements stay; the statement of a month is computed from its ledger, so a month
 * without one keeps its rows), webhook attempt logs with their response bodies, and finished
 * (delivered or dead) webhook deliveries with their bodies, charge observations of real vehicles, and
 * messages of the mail outbox (sent or only kept there: nothing retries them, and their reset links
 * expired long before). Pending deliveries are never touched.
 */
export class RetentionRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async purgeBefore(cutoff: number): Promise<PurgeCounts> {
    const ledger = await this.db.deleteFrom('ledger').where('at', '<', cutoff)
      .where(({ exists, selectFrom }) => exists(selectFrom('statements as s').select(sql`1`.as('one')).whereRef('s.app_id', '=', 'ledger.app_id').whereRef('s.month', '=', 'ledger.month')))
      .executeTakeFirst();
    const finished = (eb: Kysely<Database>) => eb.selectFrom('webhook_deliveries').select('id').where('status', 'in', ['delivered', 'dead']).where('created_at', '<', cutoff);
    const attempts = await this.db.deleteFrom('webhook_attempts')
      .where((eb) => eb.or([eb('at', '<', cutoff), eb('delivery_id', 'in', finished(this.db))])).executeTakeFirst();
    const deliveries = await this.db.deleteFrom('webhook_deliveries').where('id', 'in', finished(this.db)).executeTakeFirst();
    const charges = await this.db.deleteFrom('charge_observations').where('at', '<', cutoff).executeTakeFirst();
    const mail = await this.db.deleteFrom('mail_outbox').where('created_at', '<', cutoff).executeTakeFirst();
    return {
      ledgerRows: Number(ledger.numDeletedRows), webhookAttempts: Number(attempts.numDeletedRows), webhookDeliveries: Number(deliveries.numDeletedRows),
      chargeObservations: Number(charges.numDeletedRows), mailMessages: Number(mail.numDeletedRows),
    };
  }
}
