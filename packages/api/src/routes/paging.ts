import { ApiError } from '@opencar/core';

function int(name: string, raw: string | undefined, min: number): number | undefined {
  if (raw === undefined || raw === '' || raw === 'undefined') return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) {
    throw new ApiError('VALIDATION', { description: `${name} must be an integer ≥ ${min}.`, detail: [{ field: name, message: `must be an integer >= ${min}` }] });
  }
  return n;
}

/** `limit`/`offset` query paging with a default and a cap (larger limits are clamped). */
export function paging(query: Record<string, unknown>, defaultLimit: number, maxLimit: number): { limit: number; offset: number } {
  const limit = int('limit', query.limit === undefined ? undefined : String(query.limit), 1) ?? defaultLimit;
  const offset = int('offset', query.offset === undefined ? undefined : String(query.offset), 0) ?? 0;
  return { limit: Math.min(limit, maxLimit), offset };
}
