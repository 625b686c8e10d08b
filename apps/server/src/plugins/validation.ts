import type { FastifyInstance, FastifySchema, FastifySchemaValidationError } from 'fastify';
import AjvCompiler from '@fastify/ajv-compiler';
import { plainDecimal } from '@opencar/core';

type Validate = ((data: unknown) => boolean) & { errors?: FastifySchemaValidationError[] | null };
type Schema = { type?: string | string[]; properties?: Record<string, Schema> };

const factory = AjvCompiler();
/** JSON bodies keep their JSON types: no string, boolean, null or array ever becomes a number. */
const compileBody = factory({}, { customOptions: { coerceTypes: false } }) as unknown as (route: { schema: unknown }) => Validate;
/** Query, path and header values are text; a value that repeats (an array) is never unwrapped. */
const compileText = factory({}, { customOptions: { coerceTypes: true } }) as unknown as (route: { schema: unknown }) => Validate;

const isNumeric = (s: Schema | undefined) => {
  const types = s?.type === undefined ? [] : Array.isArray(s.type) ? s.type : [s.type];
  return types.some((t) => t === 'number' || t === 'integer') && !types.includes('string');
};

/**
 * Text parts (query, params, headers): a numeric field must be one plain finite decimal
 * (`10`, `0.5`, `-3`); `Infinity`, `1e309`, `0x10`, ` `, `true` or a repeated parameter are refused
 * before Ajv's type coercion, which would accept them.
 */
function strictText(schema: Schema, validate: Validate): Validate {
  const numeric = Object.entries(schema.properties ?? {}).filter(([, s]) => isNumeric(s)).map(([name]) => name);
  if (numeric.length === 0) return validate;
  const wrapped: Validate = (data) => {
    const values = (data ?? {}) as Record<string, unknown>;
    for (const name of numeric) {
      const v = values[name];
      if (v === undefined) continue;
      const problem = Array.isArray(v) ? 'must be given once' : typeof v === 'string' && plainDecimal(v) === undefined ? 'must be a plain decimal number' : undefined;
      if (problem) {
        wrapped.errors = [{ instancePath: `/${name}`, schemaPath: `#/properties/${name}/type`, keyword: 'type', params: {}, message: problem }];
        return false;
      }
    }
    const ok = validate(data);
    wrapped.errors = validate.errors;
    return ok;
  };
  return wrapped;
}

/**
 * The one validator compiler of every route: strict JSON types for bodies (wire-contract: the
 * charge limit's numeric string is the one documented exception, spelt out in its own schema),
 * plain finite decimals for numbers sent as text.
 */
export function strictValidation(app: FastifyInstance): void {
  app.setValidatorCompiler(({ schema, httpPart }: { schema: FastifySchema; httpPart?: string }) => {
    if (httpPart === 'body') return compileBody({ schema });
    return strictText(schema as Schema, compileText({ schema }));
  });
}
