import { de } from './de.js';
import { en, type Messages } from './en.js';
import { es } from './es.js';
import { fr } from './fr.js';
import { nl } from './nl.js';

export type { Messages };
export const LANGUAGES = { en, de, fr, nl, es } as const;
export type Lang = keyof typeof LANGUAGES;
export const isLang = (v: unknown): v is Lang => typeof v === 'string' && Object.hasOwn(LANGUAGES, v);

/** Picks the best supported language from an Accept-Language header (q-values honoured). */
export function negotiateLang(header: string | undefined): Lang {
  if (!header) return 'en';
  const ranked = header.split(',').map((part, i) => {
    const [tag = '', ...params] = part.trim().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    return { base: tag.trim().toLowerCase().split('-')[0] ?? '', q: q ? Number(q.slice(2)) || 0 : 1, i };
  }).filter((r) => r.q > 0).sort((a, b) => b.q - a.q || a.i - b.i);
  return ranked.find((r) => isLang(r.base))?.base as Lang | undefined ?? 'en';
}

type StringKey = { [K in keyof Messages]: Messages[K] extends string ? K : never }[keyof Messages];

/** Message lookup with `{name}` substitution (values are escaped later by the html template). */
export function translator(lang: Lang) {
  const m = LANGUAGES[lang];
  const t = (key: StringKey, vars: Record<string, string> = {}): string =>
    m[key].replace(/\{(\w+)\}/g, (_, k: string) => vars[k] ?? `{${k}}`);
  const perm = (name: string): string => (m.perm as Record<string, string>)[name] ?? name;
  return { lang, t, perm };
}

export type Translator = ReturnType<typeof translator>;

/** The plain-language description of a permission as Connect words it ("See the total distance driven"). */
export function describePermission(lang: string, name: string): string {
  const m = LANGUAGES[isLang(lang) ? lang : 'en'];
  return (m.perm as Record<string, string>)[name] ?? (en.perm as Record<string, string>)[name] ?? name;
}
