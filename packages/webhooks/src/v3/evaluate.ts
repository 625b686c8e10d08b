import { isConditionTrigger, type ConditionTrigger, type Trigger } from './triggers.js';

/** One signal as the payload carries it (the shape of a v3 signal, timestamps epoch ms). */
export interface SignalItem {
  code: string;
  name: string;
  group: string;
  body: Record<string, unknown> | null;
  status: { value: 'SUCCESS' | 'ERROR' | 'UNAVAILABLE'; error?: { type: string; code: string } };
  meta: { oemUpdatedAt: number | null; retrievedAt: number };
}

/** What evaluation compares: per signal code, its body when read, or its status when it had none. */
export type Observed = Record<string, string>;

/** The comparable value of a signal: its body, or `!` + status (and error) when there is none. */
export function observedValue(s: SignalItem): string {
  return s.status.value === 'SUCCESS' ? JSON.stringify(s.body) : `!${s.status.value}${s.status.error ? `:${s.status.error.type}:${s.status.error.code}` : ''}`;
}

/** The scalar a condition compares: the body's `value` when it is a number, string or boolean. */
export function scalarOf(observed: string | undefined): number | string | boolean | undefined {
  if (observed === undefined || observed.startsWith('!')) return undefined;
  const body = JSON.parse(observed) as { value?: unknown } | null;
  const v = body?.value;
  return typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean' ? v : undefined;
}

/** The key a condition trigger's cooldown is remembered under. */
export const triggerKey = (t: Trigger) => JSON.stringify(t);

function holds(t: ConditionTrigger, v: number | string | boolean | undefined): boolean {
  if (v === undefined) return false;
  if (t.op === '=') return v === t.value;
  if (typeof v !== 'number' || typeof t.value !== 'number') return false;
  return t.op === '<' ? v < t.value : v > t.value;
}

export interface Evaluation {
  /** The triggers that fired, in the integration's order. */
  fired: Trigger[];
  /** When each condition trigger last fired, updated with this evaluation's. */
  firedAt: Record<string, number>;
}

/**
 * Pure trigger evaluation between two observations of a vehicle. A change trigger fires when its
 * signal's value differs from the previous observation. A condition trigger fires on a new value
 * (`changed`: any new value; `< > =`: a new value that satisfies the comparison) unless it fired
 * less than `cooldownSeconds` ago. Nothing fires on a vehicle's first observation (FIRST_DELIVERY
 * reports it), nor for a signal that was not observed before (a trigger added later).
 */
export function evaluateTriggers(triggers: readonly Trigger[], previous: Observed | null, current: Observed, firedAt: Record<string, number>, now: number): Evaluation {
  const fired: Trigger[] = [];
  const nextFiredAt = { ...firedAt };
  if (previous === null) return { fired, firedAt: nextFiredAt };
  for (const t of triggers) {
    const before = previous[t.code];
    const after = current[t.code];
    if (before === undefined || after === undefined || before === after) continue;
    if (!isConditionTrigger(t)) { fired.push(t); continue; }
    if (t.op !== 'changed' && !holds(t, scalarOf(after))) continue;
    const key = triggerKey(t);
    const last = nextFiredAt[key];
    if (last !== undefined && now - last < t.cooldownSeconds * 1000) continue;
    nextFiredAt[key] = now;
    fired.push(t);
  }
  return { fired, firedAt: nextFiredAt };
}
