import type { Sort } from '../shared/schemas.ts';

/*
 * What the widget remembers in the page's localStorage: the reader's name and email, drafts, the edit tokens of
 * the reader's own comments, votes, the order chosen. Nothing here is sent anywhere but the Parley server. Storage
 * can be missing or full (private windows, sandboxed frames): every access degrades to "remember nothing". The
 * first paint only reads (here); writing is for the chunks (identity.ts).
 */

export function read<T>(key: string, fallback: T): T {
  try {
    const raw = localStorage.getItem(key);
    return raw ? (JSON.parse(raw) as T) : fallback;
  } catch {
    return fallback;
  }
}

/**
 * A comment this browser wrote: the token that proves it, until when it works, the markdown source, the thread it
 * is in (its `thread.key`; absent in entries older than moderation) and whether it awaits moderation.
 */
export interface Own {
  token: string;
  until: number;
  body: string;
  thread?: string;
  held?: boolean;
}

export type OwnComments = Record<string, Own>;

/** Drafts are kept per server, thread and parent comment, so a half-written reply stays under its comment. */
export const draftKey = (origin: string, thread: string, parentId: string | null) =>
  `parley:draft:${origin}|${thread}|${parentId ?? ''}`;
export const loadDraft = (key: string): string => read(key, '');

/** The reader's choice of order, kept for every thread over the blogger's `data-sort` (widget/sort.tsx). */
export const SORT_KEY = 'parley:sort';
export const loadSort = (fallback: Sort): Sort => sortOr(read(SORT_KEY, ''), fallback);

/** `value` when it names an order, else `fallback`. */
export const sortOr = (value: string | undefined, fallback: Sort): Sort =>
  value === 'oldest' || value === 'newest' || value === 'top' ? value : fallback;
