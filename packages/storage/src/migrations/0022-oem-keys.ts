import type { Kysely } from 'kysely';

/**
 * `oem_keys`: the operator's key pair for signed vehicle commands (the private key sealed under the
 * platform key; the public key is what the OEM fetches from the well-known path).
 * `oem_partner_regions`: regions where the operator's application completed partner registration.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createTable('oem_keys')
    .addColumn('connector', 'text', (c) => c.primaryKey())
    .addColumn('public_pem', 'text', (c) => c.notNull())
    .addColumn('private_sealed', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createTable('oem_partner_regions')
    .addColumn('connector', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('domain', 'text', (c) => c.notNull())
    .addColumn('registered_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('oem_partner_regions_pkey', ['connector', 'region'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('oem_partner_regions').execute();
  await db.schema.dropTable('oem_keys').execute();
}
