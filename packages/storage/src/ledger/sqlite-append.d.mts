import type SqliteDatabase from 'better-sqlite3';
import type { CounterDelta, LedgerRow } from '../repos/metering.js';

export declare const LEDGER_COLUMNS: readonly (keyof LedgerRow)[];
export declare function counterDeltas(rows: LedgerRow[], inserted: ((id: string) => boolean) | null): CounterDelta[];
export declare function appendLedgerSqlite(raw: SqliteDatabase.Database, rows: LedgerRow[], journalSeq?: number): CounterDelta[];
export declare function committedJournalSeq(raw: SqliteDatabase.Database): number;
export declare function lastLedgerRequestId(raw: SqliteDatabase.Database): string | undefined;
export declare function flattenLedgerRows(rows: LedgerRow[]): unknown[];
export declare function appendLedgerFlat(raw: SqliteDatabase.Database, params: unknown[], journalSeq?: number): CounterDelta[];
export declare function journalTextToParams(text: string): unknown[];
