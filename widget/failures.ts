import type { Failure } from './api.ts';
import { t } from './i18n.ts';

/*
 * What a reader is told when a request fails. Only the chunks that post, edit and delete need it, so it stays out
 * of the first paint.
 */

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

/** Tells the blogger that embed.js cannot find its own script tag (`lost`), or is on the page twice. */
export const misplaced = (lost: boolean): void =>
  lost
    ? console.error('[parley] Could not find the script tag that loaded embed.js; load it with <script src>.')
    : console.warn('[parley] embed.js is on this page twice; keep one script tag.');

/** Tells the blogger on the console what went wrong and, for the refusals a setting causes, what to change. */
export const report = (failure: Failure): Failure => {
  const { code, message, fields } = failure;
  const hint =
    code === 'origin_not_allowed'
      ? `add ${location.origin} to the site's Origins in the Parley dashboard`
      : fields?.site
        ? 'check data-site on the script tag'
        : 'the server log says more';
  console.warn(`[parley] ${message} (${code}): ${hint}.`);
  return failure;
};
