import type { FastifyRequest } from 'fastify';

/**
 * The query string exactly as sent, decoded the form way (`+` and `%20` both mean space), first
 * value winning when a parameter repeats. Parameter order never matters.
 */
export function rawQuery(req: FastifyRequest): (name: string) => string | undefined {
  const url = req.raw.url ?? '';
  const i = url.indexOf('?');
  const params = new URLSearchParams(i >= 0 ? url.slice(i + 1) : '');
  return (name) => {
    const v = params.get(name);
    return v === null ? undefined : v;
  };
}

/** `flags=country:DE x:true` → { country: 'DE', x: 'true' }; unknown flags are kept and ignored. */
export function parseFlags(flags: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of (flags ?? '').split(/\s+/).filter(Boolean)) {
    const c = pair.indexOf(':');
    if (c > 0) out[pair.slice(0, c)] = pair.slice(c + 1);
    else out[pair] = 'true';
  }
  return out;
}
