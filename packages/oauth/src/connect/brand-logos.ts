import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * Brand logos for the brand list, from the simple-icons set (CC0; each mark stays its owner's and
 * is shown only to name the brand). A brand the set does not carry is shown by its name alone.
 * Icons are read from the package on first use and kept in memory, coloured in the brand's colour
 * unless that colour is too light to see on the white button.
 */
const require = createRequire(import.meta.url);
const SLUG_OF: Record<string, string> = { OPEL: 'opel' };
const cache = new Map<string, string | null>();
let colours: Map<string, string> | undefined;

/** simple-icons' slug rule: the title without accents, `+` → plus, `&` → and, nothing but a–z and 0–9. */
export function slugOf(make: string, displayName: string): string {
  return SLUG_OF[make] ?? displayName.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase()
    .replace(/\+/g, 'plus').replace(/&/g, 'and').replace(/[^a-z0-9]/g, '');
}

function colourOf(slug: string): string {
  colours ??= new Map((require('simple-icons/icons.json') as { slug: string; hex: string }[]).map((i) => [i.slug, i.hex]));
  const hex = colours.get(slug) ?? '111111';
  const [r, g, b] = [0, 2, 4].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  const luminance = 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
  return 1.05 / (luminance + 0.05) >= 3 ? `#${hex}` : '#111111'; // 3:1 against white (WCAG non-text contrast)
}

/** The logo's SVG for a brand, or null when the set has none. */
export function brandLogo(slug: string): string | null {
  if (!/^[a-z0-9]{1,40}$/.test(slug)) return null;
  let svg = cache.get(slug);
  if (svg === undefined) {
    try {
      svg = readFileSync(require.resolve(`simple-icons/icons/${slug}.svg`), 'utf8').replace('<svg ', `<svg fill="${colourOf(slug)}" `);
    } catch { svg = null; }
    cache.set(slug, svg);
  }
  return svg;
}

/** True when the set has a logo for the brand (the brand list then shows it). */
export const hasLogo = (make: string, displayName: string) => brandLogo(slugOf(make, displayName)) !== null;

/** GET /connect-assets/brands/:make — `<slug>.svg`, cached for a day. */
export function brandLogoHandler() {
  return async (req: FastifyRequest, reply: FastifyReply) => {
    const name = (req.params as { make: string }).make;
    const svg = name.endsWith('.svg') ? brandLogo(name.slice(0, -4)) : null;
    if (!svg) return reply.code(404).type('text/plain').send('no such logo');
    return reply.type('image/svg+xml').header('cache-control', 'public, max-age=86400')
      .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'").header('x-content-type-options', 'nosniff').send(svg);
  };
}
