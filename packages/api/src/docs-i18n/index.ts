import type { FastifyRequest } from 'fastify';
import { SafeHtml, escapeHtml, raw } from '@opencar/ui';
import { en, type DocsKey } from './en.js';
import { de } from './de.js';
import { fr } from './fr.js';
import { es } from './es.js';
import { nl } from './nl.js';

export type { DocsKey } from './en.js';

/** The languages of the reference pages: the dashboard's five. */
export const DOCS_DICTIONARIES = { en, de, fr, es, nl } as const satisfies Record<string, Record<DocsKey, string>>;
export type DocsLang = keyof typeof DOCS_DICTIONARIES;

/** How a request's language is found; the server passes the dashboard's rule. */
export type LanguageOf = (req: FastifyRequest) => string;

export const docsLang = (lang: string | undefined): DocsLang => (lang !== undefined && Object.hasOwn(DOCS_DICTIONARIES, lang) ? lang as DocsLang : 'en');

/** A message with its `{name}` places filled: plain values escaped, SafeHtml values as they are. */
export type DocsTranslate = (key: DocsKey, vars?: Record<string, unknown>) => SafeHtml;

export function docsTranslator(lang: string | undefined): DocsTranslate {
  const dict: Record<DocsKey, string> = DOCS_DICTIONARIES[docsLang(lang)];
  return (key, vars = {}) => raw(dict[key].split(/(\{\w+\})/).map((part) => {
    const name = /^\{(\w+)\}$/.exec(part)?.[1];
    if (name === undefined || !(name in vars)) return escapeHtml(part);
    const v = vars[name];
    return v instanceof SafeHtml ? v.value : escapeHtml(v);
  }).join(''));
}

/** The same messages as plain text (for `<title>`, which the layout escapes itself). */
export function docsPlainTranslator(lang: string | undefined): (key: DocsKey, vars?: Record<string, string | number>) => string {
  const dict: Record<DocsKey, string> = DOCS_DICTIONARIES[docsLang(lang)];
  return (key, vars = {}) => dict[key].replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m));
}

/** Each language in its own name, for the pages' language links. */
const LANG_NAMES: Record<DocsLang, string> = { en: 'English', de: 'Deutsch', fr: 'Français', es: 'Español', nl: 'Nederlands' };

/** Links to this page in the other languages (`?lang=`, as the dashboard's switcher sends). */
export function languageLinks(lang: string): SafeHtml {
  const current = docsLang(lang);
  const links = (Object.keys(LANG_NAMES) as DocsLang[]).map((l) => (l === current
    ? `<strong lang="${l}" aria-current="page">${escapeHtml(LANG_NAMES[l])}</strong>`
    : `<a href="?lang=${l}" lang="${l}" hreflang="${l}">${escapeHtml(LANG_NAMES[l])}</a>`));
  return raw(`<nav aria-label="${docsTranslator(current)('docs.language').value}" class="langs"><p>${links.join(' · ')}</p></nav>`);
}
