import type { FastifyRequest } from 'fastify';
import { en, type MessageKey } from './en.js';
import { de } from './de.js';
import { fr } from './fr.js';
import { nl } from './nl.js';
import { es } from './es.js';
import { parseCookies } from '../http/cookies.js';

export type { MessageKey } from './en.js';
export const LANGS = ['en', 'de', 'fr', 'nl', 'es'] as const;
export type Lang = (typeof LANGS)[number];
export const LANG_NAMES: Record<Lang, string> = { en: 'English', de: 'Deutsch', fr: 'Français', nl: 'Nederlands', es: 'Español' };
export const LANG_COOKIE = 'oc_lang';

const DICTS: Record<Lang, Record<MessageKey, string>> = { en, de, fr, nl, es };

export const isLang = (v: unknown): v is Lang => typeof v === 'string' && (LANGS as readonly string[]).includes(v);

/** `?lang=` (the switcher), then the language cookie, then Accept-Language (q-weighted), then English. */
export function langOf(req: FastifyRequest): Lang {
  const q = (req.query as Record<string, unknown> | undefined)?.lang;
  if (isLang(q)) return q;
  const c = parseCookies(req.headers.cookie)[LANG_COOKIE];
  if (isLang(c)) return c;
  return fromAcceptLanguage(req.headers['accept-language']);
}

export function fromAcceptLanguage(header: string | undefined): Lang {
  if (!header) return 'en';
  const ranked = header.split(',').map((part, i) => {
    const [tag, ...params] = part.trim().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    return { base: (tag ?? '').toLowerCase().split('-')[0] ?? '', q: q ? Number(q.slice(2)) || 0 : 1, i };
  }).filter((r) => r.q > 0).sort((a, b) => b.q - a.q || a.i - b.i);
  return ranked.map((r) => r.base).find(isLang) ?? 'en';
}

export type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

export function translator(lang: Lang): Translate {
  const dict = DICTS[lang];
  return (key, vars) => {
    const text = dict[key] ?? en[key];
    return vars ? text.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m)) : text;
  };
}

/** Dates and numbers in the page's language; times in UTC so every reader sees the same instant. */
export function formatTime(lang: Lang, ms: number): string {
  return new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'medium', timeZone: 'UTC' }).format(ms) + ' UTC';
}

export function formatNumber(lang: Lang, n: number, digits = 0): string {
  return new Intl.NumberFormat(lang, { maximumFractionDigits: digits, minimumFractionDigits: digits }).format(n);
}
