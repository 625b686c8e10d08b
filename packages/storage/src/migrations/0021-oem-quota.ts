import type { Kysely } from 'kysely';

/**
 * `oem_quota`: what each OEM call costs against the OEM's own quotas, counted before the call is
 * made (one row per counter key and window, incremented atomically, so every server process sees
 * the same budget), and the OEM's lock-outs (a 429 with `retry-after`) until they end.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createTable('oem_quota')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('used', 'integer', (c) => c.notNull())
    .addColumn('until', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('oem_quota_until_idx').on('oem_quota').column('until').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('oem_quota').execute();
}
