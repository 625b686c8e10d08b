import { describe, expect, it } from 'vitest';
import { en } from '../src/i18n/en.js';
import { de } from '../src/i18n/de.js';
import { fr } from '../src/i18n/fr.js';
import { nl } from '../src/i18n/nl.js';
import { es } from '../src/i18n/es.js';
import { DOCS_DICTIONARIES } from '@opencar/api';

type Dict = Readonly<Record<string, unknown>>;

/** Arguments for messages that are functions rather than template strings. */
const SAMPLE_ARGS: readonly unknown[] = ['Ada', 3, 'https://example.test/cb', 42];

const render = (value: unknown): string =>
  typeof value === 'function' ? String((value as (...args: unknown[]) => unknown)(...SAMPLE_ARGS)) : String(value);

const placeholders = (text: string): string[] => [...new Set(text.match(/\{\w+\}/g) ?? [])].sort();

/** Share of messages that may read exactly as in English (product terms and words spelled the same). */
const MAX_IDENTICAL_SHARE = 0.05;

/**
 * Keys whose text may equal the English one in a given language: product names and terms
 * (Webhooks, Live, Enterprise, App) and words that are spelled the same in that language.
 */
const SAME_AS_ENGLISH: Record<'fr' | 'nl' | 'es', readonly string[]> = {
  fr: ['nav.webhooks', 'common.docs', 'mode.test', 'nav.apps', 'apps.title', 'tos.version', 'app.mode', 'vehicles.actions', 'sim.advanceMinutes', 'hooks.type', 'usage.quotaLine', 'hooks.testBadge'],
  nl: ['nav.webhooks', 'try.tokens', 'mode.live', 'mode.test', 'plan.enterprise', 'owner.app', 'nav.simulator', 'account.status', 'logs.status', 'hooks.testBadge'],
  es: ['nav.webhooks', 'try.tokens', 'owner.no', 'sim.faultError', 'app.controlPermissions'],
};

/** Keys of the API and error references' own dictionary that may read as in English (words spelled the same). */
const DOCS_SAME_AS_ENGLISH: Record<'fr' | 'nl' | 'es', readonly string[]> = {
  fr: ['ref.type', 'ref.description'],
  nl: ['ref.parameters'],
  es: ['ref.no'],
};

/** The dashboard's dictionaries, and the reference pages' own (`@opencar/api`, which cannot import the dashboard). */
const SETS: { name: string; en: Dict; translations: [string, Dict][]; same: Record<'fr' | 'nl' | 'es', readonly string[]> }[] = [
  { name: 'dashboard', en, translations: [['de', de], ['fr', fr], ['nl', nl], ['es', es]], same: SAME_AS_ENGLISH },
  {
    name: 'API and error references', en: DOCS_DICTIONARIES.en,
    translations: [['de', DOCS_DICTIONARIES.de], ['fr', DOCS_DICTIONARIES.fr], ['nl', DOCS_DICTIONARIES.nl], ['es', DOCS_DICTIONARIES.es]],
    same: DOCS_SAME_AS_ENGLISH,
  },
];

for (const set of SETS) {
  const enKeys = Object.keys(set.en);
  const translations = set.translations;
  describe(`${set.name} dictionaries are complete`, () => {
    for (const [lang, dict] of translations) {
      describe(lang, () => {
        it('defines every English key and no other', () => {
          expect(enKeys.filter((k) => !(k in dict))).toEqual([]);
          expect(Object.keys(dict).filter((k) => !(k in set.en))).toEqual([]);
        });

        it('has no empty message', () => {
          const empty = enKeys.filter((k) => render(dict[k]).trim() === '');
          expect(empty).toEqual([]);
        });

        it('keeps the placeholders of the English message', () => {
          const mismatched = enKeys.filter((k) => placeholders(render(dict[k])).join() !== placeholders(render(set.en[k])).join());
          expect(mismatched).toEqual([]);
        });
      });
    }

    for (const lang of ['fr', 'nl', 'es'] as const) {
      const dict = Object.fromEntries(translations)[lang] as Dict;
      it(`${lang} is translated, not a copy of English`, () => {
        const identical = enKeys.filter((k) => render(dict[k]) === render(set.en[k]));
        const unexpected = identical.filter((k) => !set.same[lang].includes(k));
        expect(unexpected, `${lang} messages identical to English`).toEqual([]);
        expect(identical.length / enKeys.length).toBeLessThanOrEqual(MAX_IDENTICAL_SHARE);
      });
    }
  });
}
