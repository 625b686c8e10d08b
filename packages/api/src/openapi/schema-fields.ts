/** JSON Schema rendered as rows of a field table (name, type, required, description) instead of a raw dump. */
type Json = Record<string, unknown>;

export interface FieldRow { name: string; type: string; required: boolean; description: string }

const MAX_DEPTH = 5;

/** A short type label: `string`, `integer (0–100)`, `one of LOCK, UNLOCK`, `array of object`, `number or string`. */
export function typeLabel(schema: Json): string {
  if (Array.isArray(schema.enum)) return `one of ${(schema.enum as unknown[]).map((v) => (v === null ? 'null' : String(v))).join(', ')}`;
  if (schema.const !== undefined) return `always ${String(schema.const)}`;
  const alternatives = (schema.anyOf ?? schema.oneOf) as Json[] | undefined;
  if (alternatives) return [...new Set(alternatives.map(typeLabel))].join(' or ');
  const type = Array.isArray(schema.type) ? (schema.type as string[]).join(' or ') : String(schema.type ?? (schema.properties ? 'object' : 'any'));
  if (type === 'array') return `array of ${typeLabel((schema.items ?? {}) as Json)}`;
  const min = schema.minimum ?? schema.minLength;
  const max = schema.maximum ?? schema.maxLength;
  if (min !== undefined || max !== undefined) return `${type} (${min ?? '…'}–${max ?? '…'})`;
  return schema.format ? `${type} (${String(schema.format)})` : type;
}

/** Every field of an object schema, nested ones as `parent.child` and array items as `parent[].child`. */
export function fieldRows(schema: Json | undefined, prefix = '', depth = 0): FieldRow[] {
  if (!schema || depth > MAX_DEPTH) return [];
  if (schema.type === 'array' && schema.items) return fieldRows(schema.items as Json, prefix ? `${prefix}[]` : '[]', depth + 1);
  const props = (schema.properties ?? {}) as Record<string, Json>;
  const required = new Set((schema.required ?? []) as string[]);
  const rows: FieldRow[] = [];
  for (const [name, child] of Object.entries(props)) {
    const full = prefix ? `${prefix}.${name}` : name;
    rows.push({ name: full, type: typeLabel(child), required: required.has(name), description: String(child.description ?? '') });
    const items = child.type === 'array' ? (child.items as Json | undefined) : undefined;
    if (child.properties) rows.push(...fieldRows(child, full, depth + 1));
    else if (items?.properties) rows.push(...fieldRows(items, `${full}[]`, depth + 1));
  }
  return rows;
}
