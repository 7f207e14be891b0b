import { type CompiledQuery, type Kysely, PostgresAdapter, type QueryResult, sql } from 'kysely';
import { ID_LENGTH } from '../ids.ts';
import { type Atomic, groupedWritesOf, hotQueriesOf, nextTurnOf } from './atomic.ts';
import { chunks } from './chunks.ts';
import { patchedColumns } from './comment-patch.ts';
import { compiledTemplate } from './compiled.ts';
import { gatheredHits } from './gathered-hits.ts';
import { migrateToLatest } from './migrations.ts';
import type { CommentRow, CommentStatus, Database, NewComment } from './schema.ts';
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
 * Threads and comments, read and written, with migrations, settings and rate limits, over Kysely. A new comment and
 * its thread's version go in one transaction (a batch on D1); other writes are ordered to be safe if interrupted:
 * the comment row first, then the thread's version (a crash between them leaves at worst a cached page that the
 * next write refreshes, never a lost comment). The queries of the hot paths are compiled once (`compiledTemplate`).
 */
export function commentQueries(
  db: Kysely<Database>,
  atomic: Atomic,
): LifecycleStore & SettingsStore & RateLimitStore & ThreadReadStore & CommentWriteStore {
  // Counts move by deltas rather than a recount, so a write costs the same in a thread of ten or ten thousand.
  // The new version comes back from the same statement: read after, a concurrent write could have moved it on.
  const bumpThread = compiledTemplate(['threadId', 'countDelta'], (v) =>
    db
      .updateTable('threads')
      .set((eb) => ({
        version: eb('version', '+', 1),
        comment_count: eb('comment_count', '+', v.countDelta),
      }))
      .where('id', '=', v.threadId)
      .returning('version'),
  );
  const versionOf = (result: QueryResult<unknown> | undefined) => {
    const row = result?.rows[0];
    return typeof row === 'object' && row !== null && 'version' in row && typeof row.version === 'number'
      ? row.version
      : 0;
  };
  // Where commits are shared, the count of every request joins the comments' commit instead of making its own.
  const grouped = groupedWritesOf(db);
  const hot = hotQueriesOf(db);
  const writeOne = async <R>(query: CompiledQuery<R>): Promise<QueryResult<R>> =>
    grouped ? ((await grouped([query]))[0] as QueryResult<R>) : db.executeQuery(query);
  // Where each statement is a round trip, the counts of one turn's requests go in one.
  const nextTurn = nextTurnOf(db);
  const hitGathered = !grouped && nextTurn ? gatheredHits(db, nextTurn) : undefined;
  const shown = (status: CommentStatus) => (status === 'approved' ? 1 : 0);
  const rootVotesOf = compiledTemplate(['id', 'rootId'], (v) =>
    db
      .updateTable('comments')
      .set((eb) => ({
        root_votes: eb.selectFrom('comments as root').select('root.votes').where('root.id', '=', v.rootId),
      }))
      .where('id', '=', v.id),
  );
  const commentById = compiledTemplate(['id'], (v) =>
    db.selectFrom('comments').selectAll().where('id', '=', v.id),
  );
  const countHit = compiledTemplate(['key', 'windowStart'], (v) =>
    db
      .insertInto('rate_limits')
      .values({ key: v.key, window_start: v.windowStart, hits: 1 })
      .onConflict((oc) =>
        oc.columns(['key', 'window_start']).doUpdateSet((eb) => ({ hits: eb('rate_limits.hits', '+', 1) })),
      )
      .returning('hits'),
  );
  // One insert per set of columns given (a reader's comment always gives all of them).
  const inserts = new Map<string, (row: NewComment) => CompiledQuery>();
  // On PostgreSQL a transaction of three statements is five round trips (begin and commit included). The row and
  // its thread's version go instead as one statement, atomic by itself: the insert in a WITH, which runs to its end
  // whatever the update reads of it; a reply takes its top-level comment's votes in the insert, as committed now.
  const onPostgres = db.getExecutor().adapter instanceof PostgresAdapter;
  const insertsAndBumps = new Map<string, (values: Record<string, unknown>) => CompiledQuery>();
  const insertAndBump = (row: NewComment, countDelta: number) => {
    const reply = Boolean(row.parent_id);
    const columns = (Object.keys(row) as Array<keyof NewComment & string>).filter(
      (column) => !(reply && column === 'root_votes'),
    );
    const shape = `${reply ? 'reply' : 'top'}:${columns.join(',')}`;
    let query = insertsAndBumps.get(shape);
    if (!query) {
      const names: Array<(typeof columns)[number] | 'bumpThreadId' | 'bumpDelta' | 'rootOfReply'> = [
        ...columns,
        'bumpThreadId',
        'bumpDelta',
        ...(reply ? (['rootOfReply'] as const) : []),
      ];
      query = compiledTemplate(names, (v) =>
        db
          .with('inserted', (qb) =>
            qb
              .insertInto('comments')
              .values((eb) => ({
                ...(Object.fromEntries(columns.map((column) => [column, v[column]])) as NewComment),
                ...(reply && {
                  root_votes: eb
                    .selectFrom('comments as root')
                    .select('root.votes')
                    .where('root.id', '=', v.rootOfReply),
                }),
              }))
              .returning('id'),
          )
          .updateTable('threads')
          .set((eb) => ({
            version: eb('version', '+', 1),
            comment_count: eb('comment_count', '+', v.bumpDelta),
          }))
          .where('id', '=', v.bumpThreadId)
          .returning('version'),
      );
      insertsAndBumps.set(shape, query);
    }
    return query({ ...row, bumpThreadId: row.thread_id, bumpDelta: countDelta, rootOfReply: row.root_id });
  };

  const insertOf = (row: NewComment) => {
    const columns = Object.keys(row) as Array<keyof NewComment & string>;
    const shape = columns.join(',');
    let insert = inserts.get(shape);
    if (!insert) {
      const template = compiledTemplate(columns, (v) => db.insertInto('comments').values(v));
      insert = (values) => template(values);
      inserts.set(shape, insert);
    }
    return insert(row);
  };

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

    async getComment(id) {
      const { rows } = await hot(commentById({ id }));
      return rows[0];
    },

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
      if (onPostgres) {
        const countDelta = shown(comment.status ?? 'approved');
        return versionOf(await db.executeQuery(insertAndBump(comment, countDelta)));
      }
      // A reply sorts with its top-level comment in the `top` order: it takes that comment's count as stored now,
      // not as the caller read it. One transaction (one batch on D1): the row, that count and the thread's version
      // and count move together.
      const results = await atomic([
        insertOf(comment),
        ...(comment.parent_id ? [rootVotesOf({ id: comment.id, rootId: comment.root_id })] : []),
        bumpThread({ threadId: comment.thread_id, countDelta: shown(comment.status ?? 'approved') }),
      ]);
      return versionOf(results.at(-1));
    },

    async updateComment(comment: CommentRow, patch: CommentPatch) {
      await db.updateTable('comments').set(patchedColumns(patch)).where('id', '=', comment.id).execute();
      return versionOf(
        await db.executeQuery(
          bumpThread({
            threadId: comment.thread_id,
            countDelta: shown(patch.status ?? comment.status) - shown(comment.status),
          }),
        ),
      );
    },

    async removeComment(comment) {
      await db.deleteFrom('comments').where('id', '=', comment.id).execute();
      return versionOf(
        await db.executeQuery(
          bumpThread({ threadId: comment.thread_id, countDelta: -shown(comment.status) }),
        ),
      );
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
      if (hitGathered) return hitGathered(key, windowStart);
      const { rows } = await writeOne(countHit({ key, windowStart }));
      const row = rows[0];
      if (!row) throw new Error('The rate-limit upsert returned no row');
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
