import { ApiError, PLAIN_DECIMAL, plainDecimal } from '@opencar/core';

/** Small JSON-schema builders for route schemas (validation, exact response keys, OpenAPI). */
type S = Record<string, unknown>;

export const num: S = { type: 'number' };
export const str: S = { type: 'string' };
export const bool: S = { type: 'boolean' };
export const nullable = (s: S): S => ({ ...s, type: [s.type as string, 'null'] });
export const arr = (items: S): S => ({ type: 'array', items });
export const enumOf = (...values: string[]): S => ({ type: 'string', enum: values });

/** An object whose keys are all required and no others are serialised. */
export const obj = (properties: Record<string, S>, description?: string): S => ({
  type: 'object', properties, required: Object.keys(properties), additionalProperties: false,
  ...(description ? { description } : {}),
});

/** `200` response schema wrapper. */
export const ok = (schema: S, description = 'Success') => ({ 200: { ...schema, description } });

export const ACTION_SCHEMA = obj({ status: enumOf('success'), message: str });
export const STATUS_SCHEMA = obj({ status: enumOf('success') });
export const PAGING_SCHEMA = obj({ count: { type: 'integer' }, offset: { type: 'integer' } });

/**
 * A number in [min, max], or the same number as a plain decimal string — for the fields the wire
 * contract lets clients send either way (the official Node SDK sends the charge limit as "0.8").
 * Pair it with `numberIn` in the handler: JSON Schema cannot bound a string's numeric value.
 */
export const numberOrDecimal = (min: number, max: number, description: string): S => ({
  anyOf: [{ type: 'number', minimum: min, maximum: max }, { type: 'string', pattern: PLAIN_DECIMAL.source }], description,
});

/** The value of a `numberOrDecimal` field, or VALIDATION with the field in detail when out of range. */
export function numberIn(value: number | string, field: string, min: number, max: number): number {
  const n = typeof value === 'number' ? value : plainDecimal(value);
  if (n === undefined || n < min || n > max) {
    throw new ApiError('VALIDATION', { description: `${field} must be between ${min} and ${max}.`, detail: [{ field: `/${field}`, message: `must be >= ${min} and <= ${max}` }] });
  }
  return n;
}
