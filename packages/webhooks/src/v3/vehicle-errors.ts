import { CATALOGUE, docUrl } from '@opencar/core';
import type { SignalItem } from './evaluate.js';
import type { VehicleErrorItem } from './payload.js';

/** An error the vehicle has now: its type and code, and the signals it keeps from being read. */
export interface OpenError { type: string; code: string; signals: string[] }

/**
 * The errors behind a set of signals: each failed signal's `status.error`, and COMPATIBILITY
 * VEHICLE_NOT_CAPABLE for signals the vehicle cannot supply (UNAVAILABLE). Sorted by type and code.
 */
export function openErrors(signals: readonly SignalItem[]): OpenError[] {
  const by = new Map<string, OpenError>();
  for (const s of signals) {
    const err = s.status.value === 'ERROR' ? s.status.error : s.status.value === 'UNAVAILABLE' ? { type: 'COMPATIBILITY', code: 'VEHICLE_NOT_CAPABLE' } : undefined;
    if (!err) continue;
    const key = `${err.type}:${err.code}`;
    const e = by.get(key) ?? { type: err.type, code: err.code, signals: [] };
    if (!e.signals.includes(s.code)) e.signals.push(s.code);
    by.set(key, e);
  }
  return [...by.values()].sort((a, b) => (a.type === b.type ? a.code.localeCompare(b.code) : a.type.localeCompare(b.type)));
}

/** Errors that started (ERROR) and errors that ended (RESOLVED, with the signals they had held). */
export function errorChanges(before: readonly OpenError[], now: readonly OpenError[]): { state: 'ERROR' | 'RESOLVED'; error: OpenError }[] {
  const key = (e: OpenError) => `${e.type}:${e.code}`;
  const was = new Set(before.map(key));
  const is = new Set(now.map(key));
  return [
    ...now.filter((e) => !was.has(key(e))).map((error) => ({ state: 'ERROR' as const, error })),
    ...before.filter((e) => !is.has(key(e))).map((error) => ({ state: 'RESOLVED' as const, error })),
  ];
}

/** The VEHICLE_ERROR item of one change, with the texts and resolution of the error catalogue. */
export function errorItem(publicUrl: string, state: 'ERROR' | 'RESOLVED', e: OpenError): VehicleErrorItem {
  const entry = CATALOGUE.find((c) => c.type === e.type && c.code === e.code) ?? CATALOGUE.find((c) => c.type === e.type);
  return {
    type: e.type, code: e.code, state,
    description: entry?.description ?? `${e.type} ${e.code}`,
    suggestedUserMessage: entry?.suggestedUserMessage ?? '',
    docURL: docUrl(publicUrl, e.type, e.code),
    resolution: { type: entry?.resolution ?? 'RETRY_LATER' },
    signals: [...e.signals],
  };
}
