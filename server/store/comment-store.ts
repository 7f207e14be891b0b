import { type Kysely, sql } from 'kysely';
import { ID_LENGTH } from '../ids.ts';
import { chunks } from './chunks.ts';
import { migrateToLatest } from './migrations.ts';
import type { CommentRow, CommentStatus, Database } from './schema.ts';
import type {
  CommentPatch,
  CommentWriteStore,
  LifecycleStore,
  RateLimitStore,
  SettingsStore,
  ThreadReadStore,
} from './store.ts';

const VISIBLE = ['approved', 'deleted'] as const;

/**
 * Threads and comments, read and written, with migrations, settings and rate limits, over Kysely. D1 has no
 * interactive transactions, so each write is ordered to be safe if interrupted: the comment row first, then the
 * thread's version (a crash between them leaves at worst a cached page that the next write refreshes, never a lost
 * comment).
 */
export function commentQueries(
  db: Kysely<Database>,
): LifecycleStore & SettingsStore & RateLimitStore & ThreadReadStore & CommentWriteStore {
  // Counts move by deltas rather than a recount, so a write costs the same in a thread of ten or ten thousand.
  // The new version comes back from the same statement: read after, a concurrent write could have moved it on.
  const bumpThread = async (threadId: string, countDelta: number) => {
    const row = await db
      .updateTable('threads')
      .set((eb) => ({
        version: eb('version', '+', 1),
        comment_count: eb('comment_count', '+', countDelta),
      }))
      .where('id', '=', threadId)
      .returning('version')
      .executeTakeFirst();
    return row?.version ?? 0;
  };
  const shown = (status: CommentStatus) => (status === 'approved' ? 1 : 0);

  return {
    migrate: () => migrateToLatest(db),

    async ping() {
      await sql`select 1`.execute(db);
    },

    close: () => db.destroy(),

    async getOrCreateSetting(key, value) {
      await db
        .insertInto('settings')
        .values({ key, value })
        .onConflict((oc) => oc.column('key').doNothing())
        .execute();
      const row = await db
        .selectFrom('settings')
        .select('value')
        .where('key', '=', key)
        .executeTakeFirstOrThrow();
      return row.value;
    },

    findThread: (siteId, key) =>
      db
        .selectFrom('threads')
        .selectAll()
        .where('site_id', '=', siteId)
        .where('key', '=', key)
        .executeTakeFirst(),

    async ensureThread({ id, siteId, key, url, title, now }) {
      await db
        .insertInto('threads')
        .values({ id, site_id: siteId, key, url, title, created_at: now })
        .onConflict((oc) => oc.columns(['site_id', 'key']).doNothing())
        .execute();
      return db
        .selectFrom('threads')
        .selectAll()
        .where('site_id', '=', siteId)
        .where('key', '=', key)
        .executeTakeFirstOrThrow();
    },

    listThread(threadId, { sort, after, afterVotes, limit }) {
      let query = db
        .selectFrom('comments')
        .selectAll()
        .where('thread_id', '=', threadId)
        .where('status', 'in', VISIBLE);
      if (sort === 'oldest') {
        if (after) query = query.where('path', '>', after);
        query = query.orderBy('path');
      } else if (sort === 'top') {
        // A path starts with its root's id, so `path` alone orders roots of equal votes oldest first and keeps
        // each root's replies after it, depth-first.
        if (after) {
          const votes = afterVotes ?? 0;
          query = query.where((eb) =>
            eb.or([
              eb('root_votes', '<', votes),
              eb.and([eb('root_votes', '=', votes), eb('path', '>', after)]),
            ]),
          );
        }
        query = query.orderBy('root_votes', 'desc').orderBy('path');
      } else {
        if (after) {
          const root = after.slice(0, ID_LENGTH);
          query = query.where((eb) =>
            eb.or([eb('root_id', '<', root), eb.and([eb('root_id', '=', root), eb('path', '>', after)])]),
          );
        }
        query = query.orderBy('root_id', 'desc').orderBy('path');
      }
      return query.limit(limit + 1).execute();
    },

    listPinned: (threadId) =>
      db
        .selectFrom('comments')
        .selectAll()
        .where('thread_id', '=', threadId)
        .where('pinned', '=', 1)
        .where('status', '=', 'approved')
        .orderBy('path')
        .execute(),

    getComment: (id) => db.selectFrom('comments').selectAll().where('id', '=', id).executeTakeFirst(),

    async getComments(ids) {
      const rows: CommentRow[] = [];
      for (const slice of chunks([...new Set(ids)])) {
        rows.push(...(await db.selectFrom('comments').selectAll().where('id', 'in', slice).execute()));
      }
      return rows;
    },

    async hasReplies(id) {
      const row = await db
        .selectFrom('comments')
        .select('id')
        .where('parent_id', '=', id)
        .limit(1)
        .executeTakeFirst();
      return row !== undefined;
    },

    async insertComment(comment) {
      // A reply sorts with its top-level comment in the `top` order: it takes that comment's count as stored now,
      // not as the caller read it.
      const rootVotes = comment.parent_id
        ? db.selectFrom('comments as root').select('root.votes').where('root.id', '=', comment.root_id)
        : 0;
      await db
        .insertInto('comments')
        .values({ ...comment, root_votes: rootVotes })
        .execute();
      return bumpThread(comment.thread_id, shown(comment.status));
    },

    async updateComment(comment: CommentRow, patch: CommentPatch) {
      await db
        .updateTable('comments')
        .set({
          ...(patch.body !== undefined && { body: patch.body }),
          ...(patch.html !== undefined && { html: patch.html }),
          ...(patch.editedAt !== undefined && { edited_at: patch.editedAt }),
          ...(patch.status !== undefined && { status: patch.status }),
          ...(patch.statusReason !== undefined && { status_reason: patch.statusReason }),
          ...(patch.pinned !== undefined && { pinned: patch.pinned ? 1 : 0 }),
          ...(patch.editedByModerator !== undefined && {
            edited_by_moderator: patch.editedByModerator ? 1 : 0,
          }),
          ...(patch.scrub && {
            body: '',
            html: '',
            author_name: '',
            author_email: null,
            edit_token_hash: null,
            verified: 0,
          }),
          ...(patch.forget && { email_hash: null, client_hash: '' }),
        })
        .where('id', '=', comment.id)
        .execute();
      return bumpThread(comment.thread_id, shown(patch.status ?? comment.status) - shown(comment.status));
    },

    async removeComment(comment) {
      await db.deleteFrom('comments').where('id', '=', comment.id).execute();
      return bumpThread(comment.thread_id, -shown(comment.status));
    },

    async countByKeys(siteId, keys) {
      if (keys.length === 0) return new Map();
      const rows = await db
        .selectFrom('threads')
        .select(['key', 'comment_count'])
        .where('site_id', '=', siteId)
        .where('key', 'in', keys)
        .execute();
      return new Map(rows.map((row) => [row.key, row.comment_count]));
    },

    async hitRateLimit(key, windowStart) {
      const row = await db
        .insertInto('rate_limits')
        .values({ key, window_start: windowStart, hits: 1 })
        .onConflict((oc) =>
          oc.columns(['key', 'window_start']).doUpdateSet((eb) => ({ hits: eb('rate_limits.hits', '+', 1) })),
        )
        .returning('hits')
        .executeTakeFirstOrThrow();
      return row.hits;
    },

    async refundRateLimit(key, windowStart) {
      await db
        .updateTable('rate_limits')
        .set((eb) => ({ hits: eb('hits', '-', 1) }))
        .where('key', '=', key)
        .where('window_start', '=', windowStart)
        .where('hits', '>', 0)
        .execute();
    },

    async pruneRateLimits(before) {
      await db.deleteFrom('rate_limits').where('window_start', '<', before).execute();
    },
  };
}
