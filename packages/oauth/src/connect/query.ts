import type { FastifyRequest } from 'fastify';

/** Reads one query parameter; `repeated` names the parameters that appear more than once. */
export interface QueryReader {
  (name: string): string | undefined;
  readonly repeated: readonly string[];
}

/**
 * The query string exactly as sent, decoded the form way (`+` and `%20` both mean space).
 * Parameter order never matters; a repeated parameter is reported in `repeated`, because
 * RFC 6749 §3.1 forbids sending one more than once and Connect must refuse rather than guess.
 */
export function rawQuery(req: FastifyRequest): QueryReader {
  const url = req.raw.url ?? '';
  const i = url.indexOf('?');
  const params = new URLSearchParams(i >= 0 ? url.slice(i + 1) : '');
  const seen = new Set<string>();
  const repeated = new Set<string>();
  for (const name of params.keys()) (seen.has(name) ? repeated : seen).add(name);
  const read = (name: string) => {
    const v = params.get(name);
    return v === null ? undefined : v;
  };
  return Object.assign(read, { repeated: [...repeated] });
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
