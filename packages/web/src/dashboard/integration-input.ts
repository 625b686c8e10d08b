import { plainDecimal } from '@opencar/core';
import { isConditionTrigger, type IntegrationInput, type IntegrationView, type Trigger } from '@opencar/webhooks';
import { list, str, type Form } from '../http/context.js';

/** The longest list of condition triggers the form takes (the service takes up to 100 triggers in all). */
export const MAX_CONDITIONS = 20;

/** One condition row as typed: every value kept as text so a refused form shows it again unchanged. */
export interface TypedCondition { code: string; op: string; value: string; cooldown: string }

/** What the integration form holds, exactly as typed (or as stored, when editing). */
export interface TypedIntegration {
  name: string;
  callbackUri: string;
  errorCallbackUri: string;
  /** Signal codes whose every change fires an event. */
  triggers: string[];
  signals: string[];
  conditions: TypedCondition[];
  autoSubscribe: boolean;
}

/** Errors of the form, per field; `conditions[i]` belongs to the i-th condition row. */
export interface FormErrors {
  name?: string; callbackUri?: string; errorCallbackUri?: string; triggers?: string; signals?: string;
  conditions: (string | undefined)[];
  other: string[];
}

export const EMPTY_FORM: TypedIntegration = { name: '', callbackUri: '', errorCallbackUri: '', triggers: [], signals: [], conditions: [], autoSubscribe: false };

/** Reads the posted form; condition rows are `cond-<i>-code|op|value|cooldown`, a row without a signal is left out. */
export function readIntegrationForm(f: Form): TypedIntegration {
  const conditions: TypedCondition[] = [];
  for (let i = 0; i < MAX_CONDITIONS; i++) {
    const c = { code: str(f, `cond-${i}-code`, 100), op: str(f, `cond-${i}-op`, 20), value: str(f, `cond-${i}-value`, 200), cooldown: str(f, `cond-${i}-cooldown`, 20) };
    if (c.code) conditions.push(c);
  }
  return {
    name: str(f, 'name', 200), callbackUri: str(f, 'callback_uri', 1000), errorCallbackUri: str(f, 'error_callback_uri', 1000),
    triggers: list(f, 'trigger'), signals: list(f, 'signal'), conditions, autoSubscribe: str(f, 'auto_subscribe', 10) === 'on',
  };
}

/** The form of a stored integration. */
export function typedOf(i: IntegrationView): TypedIntegration {
  return {
    name: i.name, callbackUri: i.callbackUri, errorCallbackUri: i.errorCallbackUri ?? '',
    triggers: i.triggers.filter((t) => !isConditionTrigger(t)).map((t) => t.code),
    signals: [...i.signals],
    conditions: i.triggers.filter(isConditionTrigger).map((t) => ({ code: t.code, op: t.op, value: t.value === undefined ? '' : String(t.value), cooldown: String(t.cooldownSeconds) })),
    autoSubscribe: i.autoSubscribe,
  };
}

/**
 * A threshold as the service reads it: a number for a plain decimal, true/false, else the text;
 * nothing when empty. Whether it suits the operator is the service's to say.
 */
function threshold(text: string): number | string | boolean | undefined {
  if (text === '') return undefined;
  if (text === 'true' || text === 'false') return text === 'true';
  return plainDecimal(text) ?? text;
}

/** The integration input the service validates: change triggers first, then the condition rows in order. */
export function inputOf(v: TypedIntegration): IntegrationInput {
  const conditions = v.conditions.map((c): Record<string, unknown> => {
    const cooldown = c.cooldown === '' ? undefined : plainDecimal(c.cooldown) ?? c.cooldown;
    return { code: c.code, op: c.op, ...(threshold(c.value) === undefined ? {} : { value: threshold(c.value) }), ...(cooldown === undefined ? {} : { cooldownSeconds: cooldown }) };
  });
  const triggers: unknown[] = [...v.triggers.map((code): Trigger => ({ code })), ...conditions];
  return { name: v.name, callbackUri: v.callbackUri, errorCallbackUri: v.errorCallbackUri === '' ? null : v.errorCallbackUri, triggers, signals: v.signals, autoSubscribe: v.autoSubscribe };
}

/**
 * Places the service's field problems (`/name`, `/triggers/3/value`, `/signals/0` …) on the form:
 * a trigger index below the number of change triggers is the trigger picker, above it a condition row.
 */
export function formErrors(v: TypedIntegration, problems: readonly { field: string; message: string }[]): FormErrors {
  const e: FormErrors = { conditions: [], other: [] };
  const add = (prev: string | undefined, m: string) => (prev ? `${prev}; ${m}` : m);
  for (const p of problems) {
    const [top, index, sub] = p.field.split('/').slice(1);
    if (top === 'name' || top === 'callbackUri' || top === 'errorCallbackUri') e[top] = add(e[top], p.message);
    else if (top === 'signals') e.signals = add(e.signals, p.message);
    else if (top === 'triggers' && index !== undefined && /^\d+$/.test(index) && Number(index) >= v.triggers.length) {
      const row = Number(index) - v.triggers.length;
      e.conditions[row] = add(e.conditions[row], sub ? `${sub}: ${p.message}` : p.message);
    } else if (top === 'triggers') e.triggers = add(e.triggers, p.message);
    else e.other.push(`${p.field.slice(1) || 'body'}: ${p.message}`);
  }
  return e;
}

export function hasErrors(e: FormErrors): boolean {
  return Boolean(e.name || e.callbackUri || e.errorCallbackUri || e.triggers || e.signals || e.other.length || e.conditions.some(Boolean));
}
