import type { Failure, Result } from './api.ts';
import type { OwnComments } from './storage.ts';

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
  locked: boolean;
  /** Deepest reply the server accepts; comments that deep get no Reply button. */
  maxDepth: number;
  /** The server sends mail: the form offers "Email me replies". */
  mail?: boolean | undefined;
  /** Which of name and email the site requires. */
  need: Record<'name' | 'email', boolean>;
  own: OwnComments;
  /** The comment to move focus to (the one just posted); a new object each time, so that asking twice works. */
  focus: { id: string } | null;
  /** What the live region said last, and the comment just posted, which shows it too. */
  said: string;
  posted?: string | undefined;
  draftKey(parentId: string | null): string;
  post(input: NewComment): Promise<Failure | null>;
  update(id: string, body: string): Promise<Failure | null>;
  remove(id: string): Promise<Failure | null>;
  preview(body: string): Promise<Result<{ html: string }>>;
  /** Ids of the comments this browser voted for. */
  voted: string[];
  vote(id: string, voted: boolean): Promise<void>;
}
