import type { Reading } from '../connector.js';

/**
 * Freshness from the OEM's own timestamps: `capturedAt` is when the vehicle recorded the value (as
 * the OEM reports it), `oemUpdatedAt` when the OEM cloud last refreshed it, `retrievedAt` when
 * opencar received it. A timestamp the OEM does not send falls back to the next one down; a vehicle
 * clock ahead of ours is clamped so a value never claims to come from the future.
 */
export interface OemTimes {
  /** Vehicle capture time (epoch ms), when the OEM reports one. */
  capturedAt?: number;
  /** OEM cloud update time (epoch ms), when the OEM reports one. */
  oemUpdatedAt?: number;
  retrievedAt: number;
  source: Reading<unknown>['source'];
  woke?: boolean;
}

const valid = (t: number | undefined): t is number => typeof t === 'number' && Number.isFinite(t) && t > 0;

export function oemReading<T>(value: T, t: OemTimes): Reading<T> {
  const oem = Math.min(valid(t.oemUpdatedAt) ? t.oemUpdatedAt : valid(t.capturedAt) ? t.capturedAt : t.retrievedAt, t.retrievedAt);
  const captured = Math.min(valid(t.capturedAt) ? t.capturedAt : oem, oem);
  return { value, capturedAt: captured, oemUpdatedAt: oem, retrievedAt: t.retrievedAt, source: t.source, ...(t.woke ? { woke: true } : {}) };
}

/** Epoch ms from an OEM timestamp in seconds or milliseconds (Tesla mixes both); undefined when absent. */
export function epochMs(raw: unknown): number | undefined {
  if (typeof raw !== 'number' || !Number.isFinite(raw) || raw <= 0) return undefined;
  return raw < 1e11 ? raw * 1000 : raw;
}
