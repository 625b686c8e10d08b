import type SqliteDatabase from 'better-sqlite3';
import type { RequestDetailRow } from '../repos/request-details.js';

export declare const REQUEST_DETAIL_COLUMNS: readonly (keyof RequestDetailRow)[];
export declare function flattenDetailRows(rows: RequestDetailRow[]): unknown[];
export declare function insertDetailsFlat(raw: SqliteDatabase.Database, params: unknown[]): void;
