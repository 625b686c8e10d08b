import type { AppsTable, DevelopersTable } from './tables/accounts.js';

/**
 * Every table, by name. Each domain declares its tables in tables/<domain>.ts and adds them here.
 * Conventions that hold on SQLite and PostgreSQL alike: ids are text, times are epoch milliseconds
 * (bigint), booleans are integers 0/1, JSON is text.
 */
export interface Database {
  developers: DevelopersTable;
  apps: AppsTable;
}
