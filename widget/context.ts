import type { OwnComments } from './storage.ts';
import type { Thread } from './thread.tsx';

export interface NewComment {
  body: string;
  name: string;
  email: string;
  /** The honeypot; people leave it empty. */
  website: string;
  parentId: string | null;
  /** "Email me replies", with the reader's language, and this browser's key (widget/notify.ts). */
  notify?: boolean;
  lang?: string;
  browserKey?: string;
}

/** What the thread gives every comment and form: the shared state and the actions that change it. */
export interface Ctx {
  lang: string;
  /** Refreshed every half minute, for relative times and edit windows. */
  now: number;
  /** No new comments or replies: the thread is locked, or a post has just been refused because it is. */
  locked?: boolean | undefined;
  /** Deepest reply the server accepts; comments that deep get no Reply button. */
  maxDepth: number;
  /** The server sends mail: the form offers "Email me replies". */
  mail?: boolean | undefined;
  /** Which of name and email the site requires. */
  need: Record<'name' | 'email', boolean>;
  own: OwnComments;
  /**
   * The comment to move focus to (the one just posted); a new object each time, so that asking twice works.
   * `target` marks it as the one a permalink names, which is highlighted.
   */
  focus: { id: string; target?: boolean } | null;
  /** What the live region said last, and the comment just posted, which shows it too. */
  said?: string | undefined;
  posted?: string | undefined;
  draftKey(parentId: string | null): string;
  /** The thread, for the chunk that writes (thread-actions.tsx), which the forms and comments call. */
  thread: Thread;
}
