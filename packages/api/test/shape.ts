import { expect } from 'vitest';

/** Asserts a value has exactly the documented keys of a JSON schema, recursively. */
export function expectShape(schema: unknown, value: unknown, at = 'body'): void {
  const s = schema as { type?: string | string[]; properties?: Record<string, unknown>; items?: unknown; additionalProperties?: unknown };
  const types = Array.isArray(s.type) ? s.type : s.type ? [s.type] : [];
  if (value === null) { expect(types, `${at} is null`).toContain('null'); return; }
  if (Array.isArray(value)) {
    expect(types, `${at} is an array`).toContain('array');
    value.forEach((v, i) => expectShape(s.items ?? {}, v, `${at}[${i}]`));
    return;
  }
  if (typeof value === 'object') {
    if (s.properties && s.additionalProperties === false) {
      expect(Object.keys(value as object).sort(), `${at} keys`).toEqual(Object.keys(s.properties).sort());
    }
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (s.properties?.[k]) expectShape(s.properties[k], v, `${at}.${k}`);
    }
    return;
  }
  if (types.length) expect(types, `${at} type`).toContain(typeof value === 'number' ? (Number.isInteger(value) && types.includes('integer') ? 'integer' : 'number') : typeof value);
}
