import type { Sort } from '../../shared/schemas.ts';
import type { AccountStore } from './account-store.ts';
import type { FeedStore } from './feed-store.ts';
import type { ImportStore } from './import-store.ts';
import type { MailStore } from './mail-store.ts';
import type { AuditStore, BanStore, ModerationStore, StatsStore } from './moderation-store.ts';
import type { PrivacyStore } from './privacy-store.ts';
import type { CommentRow, CommentStatus, NewComment, ThreadRow } from './schema.ts';
import type { SiteStore } from './site-store.ts';
import type { VoteStore } from './vote-store.ts';
import type { WebhookStore } from './webhook-store.ts';

/** Where one page of a thread starts, and how long it is. */
export interface PageQuery {
  sort: Sort;
  /** `path` of the last comment of the previous page; absent for the first page. */
  after?: string;
  /** For `top`: the `root_votes` of that last comment, as it was then. */
  afterVotes?: number;
  limit: number;
}

/** The fields of a comment a reader or moderator can change. */
export interface CommentPatch {
  body?: string;
  html?: string;
  editedAt?: number;
  status?: CommentStatus;
  statusReason?: string | null;
  /** Set on deletion: a placeholder keeps no trace of what was said or by whom. */
  scrub?: boolean;
  /** Shown above the thread (with the first page), as well as in its place. */
  pinned?: boolean;
  /** Set when a moderator changed the text, so readers can tell. */
  editedByModerator?: boolean;
  /** With `scrub`, on erasure: the keyed hashes of the email and client address go too. */
  forget?: boolean;
}

/**
 * Everything Parley keeps, behind one domain-shaped interface with one implementation over Kysely
 * (`kyselyStore`), which runs on SQLite, PostgreSQL and D1. A method is one round trip unless it says otherwise.
 * It is put together from one interface per concern, each named for what uses it: the database's lifecycle,
 * deployment settings, rate limits, reading threads, writing comments (below), sites, accounts, moderation, bans,
 * the audit log, stats, imports, votes, mail, webhooks, privacy requests and feeds.
 */
export type Store = LifecycleStore &
  SettingsStore &
  RateLimitStore &
  ThreadReadStore &
  CommentWriteStore &
  SiteStore &
  AccountStore &
  ModerationStore &
  BanStore &
  AuditStore &
  StatsStore &
  ImportStore &
  VoteStore &
  MailStore &
  WebhookStore &
  PrivacyStore &
  FeedStore;

/**
 * The database itself, for the entry points and the health check: its schema, whether it answers, its connections.
 *
 * @example
 * const store = kyselyStore(db);
 * await store.migrate();
 */
export interface LifecycleStore {
  /** Applies pending schema migrations. */
  migrate(): Promise<void>;

  /** Resolves when the database answers; used by the health check. */
  ping(): Promise<void>;

  /** Closes the connection pool (Node only; a no-op on D1). */
  close(): Promise<void>;
}

/**
 * Values kept for the whole deployment, such as the generated secret.
 *
 * @example const secret = await store.getOrCreateSetting('secret', randomToken());
 */
export interface SettingsStore {
  /** A value kept for the whole deployment, created once: `value` if no value exists yet, else the stored one. */
  getOrCreateSetting(key: string, value: string): Promise<string>;
}

/**
 * Fixed-window hit counts behind the rate limiter, kept in the database so that limits hold across server
 * instances.
 *
 * @example const hits = await store.hitRateLimit('write:<client hash>', windowStart);
 */
export interface RateLimitStore {
  /**
   * Counts one hit in a fixed window and returns the hits so far in that window, including this one. Kept in the
   * database so that limits hold across server instances.
   */
  hitRateLimit(key: string, windowStart: number): Promise<number>;

  /** Takes back one hit counted for `key` in the window that starts at `windowStart` (never below zero). */
  refundRateLimit(key: string, windowStart: number): Promise<void>;

  /** Drops rate-limit windows that started before `before`. */
  pruneRateLimits(before: number): Promise<void>;
}

/**
 * What readers' requests read: threads, their pages of comments, pins and counts, and comments by id.
 *
 * @example
 * const thread = await store.findThread('default', 'example.com/a');
 * const rows = thread && (await store.listThread(thread.id, { sort: 'oldest', limit: 50 }));
 */
export interface ThreadReadStore {
  /** The thread with this key on this site, if anyone has commented there. */
  findThread(siteId: string, key: string): Promise<ThreadRow | undefined>;

  /**
   * One page of a thread's visible comments (approved and deleted placeholders), depth-first: a comment's replies
   * follow it. Top-level comments come oldest first, newest first, or (`top`) by their up-votes, most first, then
   * oldest first. Returns up to `limit + 1` rows so the caller can tell whether another page exists.
   */
  listThread(threadId: string, page: PageQuery): Promise<CommentRow[]>;

  /** The approved, pinned comments of a thread, oldest first. */
  listPinned(threadId: string): Promise<CommentRow[]>;

  getComment(id: string): Promise<CommentRow | undefined>;

  /** Plain comment rows by id (for authors proving ownership with tokens); unknown ids are left out. */
  getComments(ids: readonly string[]): Promise<CommentRow[]>;

  /** Visible comment counts of these thread keys on a site; keys without a thread are absent. */
  countByKeys(siteId: string, keys: readonly string[]): Promise<Map<string, number>>;
}

/**
 * What writing comments changes: threads made on the first comment, comments stored, changed and removed, each
 * write bumping its thread's version (the ETag and the response cache hang on it).
 *
 * @example
 * const thread = await store.ensureThread({ id, siteId: 'default', key: 'example.com/a', url, title: 'A', now });
 * await store.insertComment(row);
 */
export interface CommentWriteStore {
  /**
   * The thread with this key, created with `title` if missing (safe under concurrent calls); an existing one is
   * left as it is.
   */
  ensureThread(input: {
    id: string;
    siteId: string;
    key: string;
    url: string;
    title: string | null;
    now: number;
  }): Promise<ThreadRow>;

  /** Whether any comment replies to this one, whatever its status. */
  hasReplies(id: string): Promise<boolean>;

  /** Stores a comment and bumps its thread's version and count; returns the thread's new version. */
  insertComment(comment: NewComment): Promise<number>;

  /**
   * Changes a comment (given as currently stored: its status moves the count) and bumps its thread's version;
   * returns the new version, which live threads number their events by.
   */
  updateComment(comment: CommentRow, patch: CommentPatch): Promise<number>;

  /** Removes a comment (given as currently stored) for good and bumps its thread's version and count; returns it. */
  removeComment(comment: CommentRow): Promise<number>;
}
