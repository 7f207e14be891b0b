/*
 * The widget's words. English is built in, written where it is used: `t('Reply to {name}', { name })`. Another
 * language is a flat JSON dictionary from those English strings to its own, served by the Parley server at
 * `/i18n/<lang>.json` and fetched only when a page asks for it with `data-lang`. A string missing from it stays in
 * English, so a partial translation still works; tests/widget/i18n.test.ts checks that every translated string is
 * still one the widget uses, and that none is left out.
 *
 * Keyed by the English itself (as gettext does), the bundle carries each string once, with no key beside it.
 */

let words: Record<string, string> = {};

/** `t('Reply to {name}', { name: 'Ada' })` → "Reply to Ada", or its translation. */
export function t(english: string, vars?: Record<string, string | number>): string {
  return (words[english] ?? english).replace(/\{(\w+)\}/g, (_, name: string) => String(vars?.[name] ?? ''));
}

/** Loads a translation from the Parley server; on any failure the widget stays in English. */
export async function loadLanguage(origin: string, lang: string): Promise<void> {
  if (/^en\b/i.test(lang)) return;
  try {
    const response = await fetch(`${origin}/i18n/${lang.toLowerCase()}.json`, { credentials: 'omit' });
    if (!response.ok) throw response.status;
    words = await response.json();
  } catch (error) {
    console.warn(`[parley] No "${lang}" translation (${error}); showing English. Check data-lang.`);
  }
}

