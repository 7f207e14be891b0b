import { type Kysely, sql } from 'kysely';
import type { Database } from './schema.ts';

/** An approved comment with its page, for a feed entry. */
export interface FeedComment {
  id: string;
  author_name: string;
  html: string;
  created_at: number;
  edited_at: number | null;
  thread_url: string;
  thread_title: string | null;
}

/**
 * The Atom feeds' reads: the latest approved comments of a site or of one thread, and the site-wide version their
 * ETag hangs on.
 *
 * @example
 * const version = await store.siteCommentsVersion('blog');
 * const rows = await store.listFeedComments({ siteId: 'blog', limit: 50 });
 */
export interface FeedStore {
  /** Approved comments of a site, or of one of its threads, newest first, at most `limit`. */
  listFeedComments(query: { siteId: string; threadId?: string; limit: number }): Promise<FeedComment[]>;
  /**
   * A number that grows with every write to any thread of the site: the sum of its threads' versions plus their
   * number (a new thread with no visible comment changes it too). 0 for a site without threads.
   */
  siteCommentsVersion(siteId: string): Promise<number>;
}

export function feedQueries(db: Kysely<Database>): FeedStore {
  return {
    listFeedComments({ siteId, threadId, limit }) {
      let query = db
        .selectFrom('comments as c')
        .innerJoin('threads as t', 't.id', 'c.thread_id')
        .select([
          'c.id',
          'c.author_name',
          'c.html',
          'c.created_at',
          'c.edited_at',
          't.url as thread_url',
          't.title as thread_title',
        ])
        .where('c.site_id', '=', siteId)
        .where('c.status', '=', 'approved');
      if (threadId) query = query.where('c.thread_id', '=', threadId);
      return query.orderBy('c.created_at', 'desc').orderBy('c.id', 'desc').limit(limit).execute();
    },
    async siteCommentsVersion(siteId) {
      const row = await db
        .selectFrom('threads')
        .select(sql<number | string | null>`sum(${sql.ref('version')}) + count(*)`.as('version'))
        .where('site_id', '=', siteId)
        .executeTakeFirst();
      // PostgreSQL's sum of bigints is numeric, which its driver hands over as a string.
      return Number(row?.version ?? 0);
    },
  };
}
