/** A change trigger: fires whenever the signal's value changes. */
export interface ChangeTrigger { code: string }

/**
 * A condition trigger (an opencar extension): fires when the signal's value satisfies `op value`
 * (`changed`: any change, no value), at most once per `cooldownSeconds`.
 */
export interface ConditionTrigger { code: string; op: '<' | '>' | '=' | 'changed'; value?: number | string | boolean; cooldownSeconds: number }

export type Trigger = ChangeTrigger | ConditionTrigger;

export const TRIGGER_OPS = ['<', '>', '=', 'changed'] as const;

/** The longest cooldown a condition trigger may ask for: 30 days. */
export const MAX_COOLDOWN_SECONDS = 30 * 24 * 3600;

/** A signal of the v3 catalogue, as pickers show it. */
export interface SignalChoice { code: string; name: string; group: string }

/** The signal codes integrations may name (the v3 signal catalogue, e.g. SIGNALS_BY_CODE of @opencar/api). */
export interface SignalCatalogue { has(code: string): boolean; values(): Iterable<SignalChoice> }

export function isConditionTrigger(t: Trigger): t is ConditionTrigger {
  return 'op' in t;
}

/** A problem with one field of an integration, as a JSON pointer and a sentence. */
export interface FieldProblem { field: string; message: string }

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Reads the triggers of an integration: each `{code}` (change) or `{code, op, value, cooldownSeconds}`
 * (condition; `value` is a number for `<` and `>`, any scalar for `=`, absent for `changed`). Codes
 * must be in the catalogue and appear once per identical trigger. Returns the normalised list or the
 * problems found.
 */
export function readTriggers(raw: unknown, catalogue: SignalCatalogue, field = '/triggers'): { triggers: Trigger[] } | { problems: FieldProblem[] } {
  if (!Array.isArray(raw)) return { problems: [{ field, message: 'must be an array of triggers' }] };
  if (raw.length > 100) return { problems: [{ field, message: 'must list at most 100 triggers' }] };
  const problems: FieldProblem[] = [];
  const triggers: Trigger[] = [];
  const seen = new Set<string>();
  raw.forEach((t, i) => {
    const at = `${field}/${i}`;
    if (!isObject(t)) { problems.push({ field: at, message: 'must be an object with a signal code' }); return; }
    const extra = Object.keys(t).filter((k) => !['code', 'op', 'value', 'cooldownSeconds'].includes(k));
    if (extra.length) { problems.push({ field: at, message: `unknown field ${extra.join(', ')}` }); return; }
    if (typeof t.code !== 'string' || !catalogue.has(t.code)) { problems.push({ field: `${at}/code`, message: `${typeof t.code === 'string' ? t.code : 'code'} is not a signal code of the catalogue` }); return; }
    let trigger: Trigger;
    if (t.op === undefined) {
      if (t.value !== undefined || t.cooldownSeconds !== undefined) { problems.push({ field: `${at}/op`, message: 'value and cooldownSeconds need an op' }); return; }
      trigger = { code: t.code };
    } else {
      if (typeof t.op !== 'string' || !(TRIGGER_OPS as readonly string[]).includes(t.op)) { problems.push({ field: `${at}/op`, message: `op must be one of ${TRIGGER_OPS.join(' ')}` }); return; }
      const op = t.op as ConditionTrigger['op'];
      const cooldown = t.cooldownSeconds ?? 0;
      if (typeof cooldown !== 'number' || !Number.isInteger(cooldown) || cooldown < 0 || cooldown > MAX_COOLDOWN_SECONDS) {
        problems.push({ field: `${at}/cooldownSeconds`, message: `must be a whole number of seconds from 0 to ${MAX_COOLDOWN_SECONDS}` }); return;
      }
      if (op === 'changed') {
        if (t.value !== undefined) { problems.push({ field: `${at}/value`, message: 'op changed takes no value' }); return; }
        trigger = { code: t.code, op, cooldownSeconds: cooldown };
      } else {
        const v = t.value;
        const numeric = typeof v === 'number' && Number.isFinite(v);
        if ((op === '<' || op === '>') && !numeric) { problems.push({ field: `${at}/value`, message: `op ${op} needs a number` }); return; }
        if (op === '=' && !(numeric || typeof v === 'string' || typeof v === 'boolean')) { problems.push({ field: `${at}/value`, message: 'op = needs a number, string or boolean' }); return; }
        trigger = { code: t.code, op, value: v as number | string | boolean, cooldownSeconds: cooldown };
      }
    }
    const key = JSON.stringify(trigger);
    if (seen.has(key)) { problems.push({ field: at, message: 'repeats an earlier trigger' }); return; }
    seen.add(key);
    triggers.push(trigger);
  });
  return problems.length ? { problems } : { triggers };
}

/** Reads the data signals: distinct catalogue codes. */
export function readSignals(raw: unknown, catalogue: SignalCatalogue, field = '/signals'): { signals: string[] } | { problems: FieldProblem[] } {
  if (!Array.isArray(raw)) return { problems: [{ field, message: 'must be an array of signal codes' }] };
  const problems: FieldProblem[] = [];
  raw.forEach((c, i) => { if (typeof c !== 'string' || !catalogue.has(c)) problems.push({ field: `${field}/${i}`, message: `${typeof c === 'string' ? c : 'item'} is not a signal code of the catalogue` }); });
  return problems.length ? { problems } : { signals: [...new Set(raw as string[])] };
}
