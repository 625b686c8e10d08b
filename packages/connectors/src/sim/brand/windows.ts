import { hhmm, invalid } from './call.js';
import type { Window } from './state.js';

/** Validates a list of `{start, end}` HH:mm windows (body field `name`). */
export function windows(v: unknown, name: string, max: number): Window[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || v.length > max) throw invalid(name, `${name} must be an array of at most ${max} windows`);
  return v.map((w, i) => {
    const o = (w ?? {}) as Record<string, unknown>;
    return { start: hhmm(o.start, `${name}[${i}].start`), end: hhmm(o.end, `${name}[${i}].end`) };
  });
}
