import { sql, type Kysely } from 'kysely';

/**
 * The pending part of every (webhook, order key) delivery queue, in delivery order. Finding each
 * queue's head (the claim of a delivery round) then reads only pending entries, however many
 * delivered ones a queue has accumulated, and checking that nothing pending comes first is one
 * probe. Partial, so delivered and dead-lettered rows cost it nothing.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('webhook_deliveries_queue_pending_idx').on('webhook_deliveries')
    .columns(['webhook_id', 'order_key', 'seq', 'id']).where(sql.ref('status'), '=', 'pending').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('webhook_deliveries_queue_pending_idx').execute();
}
