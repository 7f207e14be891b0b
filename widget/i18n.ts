/*
 * The widget's words. English is built in, written where it is used: `t('Reply to {name}', { name })`. Another
 * language is a flat JSON dictionary from those English strings to its own, served by the Parley server at
 * `/i18n/<code>.json` and fetched only when that language is shown. A string missing from it stays in English, so
 * a partial translation still works; tests/widget/i18n.test.ts checks that every translated string is still one
 * the widget uses, and that none is left out.
 *
 * A string with a count `{n}` may translate to its plural forms instead, by Intl.PluralRules category:
 * `"{n} comments": { "few": "{n} komentarze", "many": "{n} komentarzy", "other": "{n} komentarza" }`. Numbers are
 * written the language's way.
 *
 * Keyed by the English itself (as gettext does), the bundle carries each string once, with no key beside it.
 */

/** The languages besides English that have a dictionary in widget/i18n/; Arabic and Hebrew read right to left. */
export const LANGUAGES = ['ar', 'de', 'es', 'fr', 'he', 'it', 'ja', 'nl', 'pl', 'pt', 'ru', 'zh'];
export const RIGHT_TO_LEFT = ['ar', 'he'];

export type Translation = string | Partial<Record<Intl.LDMLPluralRule, string>>;

let words: Record<string, Translation> = {};
let shown = 'en';

/**
 * The language to show: the first of `tags` that is a well-formed language tag (the script's `data-lang`, the
 * page's `lang`, the browser's) if the widget speaks it, by its primary subtag; else English. The tag is kept
 * whole (`pt-BR`) for dates and numbers.
 *
 * @example chooseLanguage(undefined, 'de-AT', 'en-US') // → 'de-AT'
 */
export function chooseLanguage(...tags: Array<string | undefined>): string {
  const tag = tags.find((each) => /^[a-z]{2,3}(-[a-z0-9]{1,8})*$/i.test(each ?? '')) ?? 'en';
  return LANGUAGES.includes(primary(tag)) ? tag : 'en';
}

/** `de` for `de-AT`: the dictionary a tag uses. */
export const primary = (tag: string): string => (tag.split('-')[0] as string).toLowerCase();

/**
 * `t('Reply to {name}', { name: 'Ada' })` → "Reply to Ada", or its translation; `t('{n} comments', { n: 1200 })`
 * → "1,200 comments", or "1.200 Kommentare".
 */
export function t(english: string, vars: Record<string, string | number> = {}): string {
  let text = words[english] ?? english;
  if (typeof text !== 'string')
    text = text[new Intl.PluralRules(shown).select(Number(vars.n))] ?? text.other ?? english;
  return text.replace(/\{(\w+)\}/g, (_, name: string) => (vars[name] ?? '').toLocaleString(shown));
}

/** Loads the dictionary of `lang` from the Parley server; on any failure the widget stays in English. */
export async function loadLanguage(origin: string, lang: string): Promise<void> {
  const code = primary(lang);
  if (code === 'en') return;
  try {
    const response = await fetch(`${origin}/i18n/${code}.json`, { credentials: 'omit' });
    if (!response.ok) throw response.status;
    words = (await response.json()) as Record<string, Translation>;
    shown = lang;
  } catch (error) {
    console.warn(`[parley] No "${code}" translation (${error}); showing English.`);
  }
}
