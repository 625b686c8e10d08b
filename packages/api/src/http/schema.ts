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
