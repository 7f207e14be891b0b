import type { Generated, Insertable, Selectable } from 'kysely';

/*
 * Table types for Kysely. Types stay portable across SQLite, PostgreSQL and D1: ids are TEXT made by the app,
 * times are INTEGER epoch milliseconds, booleans are INTEGER 0/1.
 */

export interface SitesTable {
  id: string;
  name: string;
  created_at: number;
}

export interface ThreadsTable {
  id: string;
  site_id: string;
  /** Normalized page URL (`example.com/posts/a`) or `id:` plus the blogger's page id. */
  key: string;
  url: string;
  title: string | null;
  locked: Generated<number>;
  /** Bumped by every write that changes what readers see; the ETag and the response cache hang on it. */
  version: Generated<number>;
  comment_count: Generated<number>;
  created_at: number;
}

export type CommentStatus = 'approved' | 'pending' | 'spam' | 'deleted';

export interface CommentsTable {
  id: string;
  thread_id: string;
  parent_id: string | null;
  /** Id of the top-level ancestor (its own id for a top-level comment); orders threads newest-first. */
  root_id: string;
  /** Ids of the ancestors and the comment itself, concatenated; sorting by it gives depth-first order. */
  path: string;
  depth: number;
  status: CommentStatus;
  /** Why a comment was held or refused, e.g. `honeypot`. */
  status_reason: string | null;
  author_name: string;
  author_email: string | null;
  avatar: string;
  /** Keyed hash of the client's IP address; the address itself is never stored. */
  client_hash: string;
  body: string;
  html: string;
  edit_token_hash: string | null;
  created_at: number;
  edited_at: number | null;
}

export interface RateLimitsTable {
  key: string;
  window_start: number;
  hits: number;
}

export interface SettingsTable {
  key: string;
  value: string;
}

export interface Database {
  sites: SitesTable;
  threads: ThreadsTable;
  comments: CommentsTable;
  rate_limits: RateLimitsTable;
  settings: SettingsTable;
}

export type SiteRow = Selectable<SitesTable>;
export type ThreadRow = Selectable<ThreadsTable>;
export type CommentRow = Selectable<CommentsTable>;
export type NewComment = Insertable<CommentsTable>;
