import type { Failure } from './api.ts';

/**
 * The widget's words. English is built in; another language is a flat JSON dictionary with the same keys, served
 * by the Parley server at `/i18n/<lang>.json` and fetched only when a page asks for it with `data-lang`. Missing
 * keys fall back to English, so a partial translation still works.
 */
const EN = {
  loading: 'Loading comments…',
  loadFailed: 'Comments could not be loaded.',
  retry: 'Try again',
  'count.one': '{n} comment',
  'count.other': '{n} comments',
  empty: 'No comments yet',
  oldest: 'Oldest first',
  newest: 'Newest first',
  more: 'Show more comments',
  busy: 'Loading…',
  locked: 'Comments are closed on this page.',
  anon: 'Anonymous',
  edited: 'edited',
  pending: 'awaiting approval',
  deleted: 'This comment was deleted.',
  replyingTo: 'replying to {name}',
  reply: 'Reply',
  edit: 'Edit',
  delete: 'Delete',
  cancel: 'Cancel',
  save: 'Save changes',
  confirmDelete: 'Delete this comment?',
  confirm: 'Yes, delete',
  keep: 'Keep it',
  newForm: 'Leave a comment',
  replyForm: 'Reply to {name}',
  editForm: 'Edit your comment',
  name: 'Name',
  email: 'Email',
  emailHint: 'Optional, never shown.',
  comment: 'Comment',
  hint: 'Markdown: **bold**, _italic_, `code`, [link](https://…), > quote',
  preview: 'Preview',
  write: 'Write',
  post: 'Post comment',
  sending: 'Sending…',
  posted: 'Your comment was posted.',
  saved: 'Your changes were saved.',
  removed: 'Your comment was deleted.',
  nothing: 'Write something first.',
  'e.network': 'Could not reach the server. Your text is kept; try again once online.',
  'e.rate_limited': 'Too many posts at once. Try again in {s} seconds.',
  'e.invalid_input': 'Please check the marked fields.',
  'e.payload_too_large': 'That comment is too long to send.',
  'e.edit_window_closed': 'Too late to change this comment.',
  'e.forbidden': 'Only the browser that wrote this comment can change it.',
  'e.not_found': 'That comment no longer exists.',
  'e.server': 'The server had a problem. Your text is kept; try again soon.',
};

export type Key = keyof typeof EN;

export const isKey = (key: string): key is Key => key in EN;

let words: Partial<Record<Key, string>> = {};

/** `t('replyForm', { name: 'Ada' })` → "Reply to Ada". */
export function t(key: Key, vars?: Record<string, string | number>): string {
  return (words[key] ?? EN[key]).replace(/\{(\w+)\}/g, (_, name: string) => String(vars?.[name] ?? ''));
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

/** The words for a failed request; the server's own message goes to the console for the blogger. */
export function describeFailure(failure: Failure): string {
  if (failure.code === 'rate_limited') return t('e.rate_limited', { s: failure.retryAfter ?? 60 });
  if (failure.code === 'thread_locked') return t('locked');
  const key = `e.${failure.code}`;
  return isKey(key) ? t(key) : t('e.server');
}
