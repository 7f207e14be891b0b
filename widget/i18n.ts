import type { Failure } from './api.ts';

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

export const SERVER_FAILED = 'The server had a problem. Your text is kept; try again soon.';

/**
 * What a reader is told when a request fails, by code, in the reader's language; see describeFailure for the others.
 * (`thread_locked` needs no words here: the thread then takes the form away and says that comments are closed.)
 */
export const FAILURES: Partial<Record<Failure['code'], string>> = {
  banned: 'You can no longer comment on this site.',
  network: 'Could not reach the server. Your text is kept; try again once online.',
  rate_limited: 'Too many posts at once. Try again in {s} seconds.',
  invalid_input: 'Please check the marked fields.',
  payload_too_large: 'That comment is too long to send.',
  edit_window_closed: 'Too late to change this comment.',
  forbidden: 'Only the browser that wrote this comment can change it.',
  not_found: 'That comment no longer exists.',
};

/**
 * The words for a failed request. A refusal (4xx) without words of ours shows the server's own message, which
 * says why (`origin_not_allowed`, `thread_locked`, ...); so does invalid input that names no field of the form
 * ("That comment cannot be replied to"). Only a fault of the server's gets SERVER_FAILED.
 */
export function describeFailure({ code, message, fields, retryAfter }: Failure): string {
  const marked = code !== 'invalid_input' || fields?.body || fields?.name || fields?.email;
  const words =
    marked && (FAILURES[code] ?? (code === 'internal' || code === 'unavailable' ? SERVER_FAILED : ''));
  return words ? t(words, { s: retryAfter ?? 60 }) : message;
}
