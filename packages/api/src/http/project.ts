/**
 * Keeps exactly the keys a response schema documents (recursively), so no connector extra can leak
 * into a v2 body. Used where Fastify's serializer does not run (batch items, brand endpoints).
 */
export function project(schema: unknown, value: unknown): unknown {
  const s = schema as { type?: unknown; properties?: Record<string, unknown>; items?: unknown } | undefined;
  if (!s || value === null || value === undefined) return value;
  if (Array.isArray(value)) return s.items ? value.map((v) => project(s.items, v)) : value;
  if (typeof value === 'object' && s.properties) {
    const out: Record<string, unknown> = {};
    for (const [k, sub] of Object.entries(s.properties)) {
      if (k in (value as Record<string, unknown>)) out[k] = project(sub, (value as Record<string, unknown>)[k]);
    }
    return out;
  }
  return value;
}
