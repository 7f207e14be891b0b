import { type Kysely, sql } from 'kysely';
import { chunks } from './chunks.ts';
import type { Database, NewComment } from './schema.ts';

/** Where an imported comment sits in its thread: what a reply to it needs. */
export interface ImportedPlace {
  id: string;
  thread_id: string;
  root_id: string;
  path: string;
  depth: number;
}

/**
 * Writes for imports: many comments at once, never over an existing one, and a record of where each came from.
 *
 * @example
 * const added = await store.insertImportedComments(rows); // ids not there before
 * await store.putImportOrigins('blog', rows.map((row, i) => ({ origin: `wxr:${refs[i]}`, commentId: row.id })));
 */
export interface ImportStore {
  /**
   * Stores the comments whose ids are not taken, leaves the others as they are, and returns the ids it stored.
   * Thread counts are not touched: call `refreshThreads` after.
   */
  insertImportedComments(rows: readonly NewComment[]): Promise<string[]>;

  /** Remembers which comment each origin (`<format>:<id>`) became on a site; known origins are left alone. */
  putImportOrigins(
    siteId: string,
    entries: ReadonlyArray<{ origin: string; commentId: string }>,
  ): Promise<void>;

  /** The comments these origins became on a site, by origin; unknown origins (and vanished comments) are absent. */
  findImportOrigins(siteId: string, origins: readonly string[]): Promise<Map<string, ImportedPlace>>;

  /** Recounts the visible comments of these threads and bumps their versions, so readers see the import. */
  refreshThreads(threadIds: readonly string[]): Promise<void>;
}

const COMMENT_COLUMNS = 23;
// D1 binds at most 100 parameters per statement; elsewhere a larger insert inside a transaction is much faster.
const D1_ROWS = Math.floor(100 / COMMENT_COLUMNS);
const BATCH_ROWS = 200;

export function importQueries(db: Kysely<Database>): ImportStore {
  // D1 has no interactive transactions (kysely-d1 throws); found out once, on the first write.
  let transactions: Promise<boolean> | undefined;
  const canTransact = () => {
    transactions ??= db
      .transaction()
      .execute(async () => {})
      .then(
        () => true,
        () => false,
      );
    return transactions;
  };

  return {
    async insertImportedComments(rows) {
      if (rows.length === 0) return [];
      const write = async (target: Kysely<Database>, size: number) => {
        const added: string[] = [];
        for (let i = 0; i < rows.length; i += size) {
          const inserted = await target
            .insertInto('comments')
            .values(rows.slice(i, i + size))
            .onConflict((oc) => oc.column('id').doNothing())
            .returning('id')
            .execute();
          added.push(...inserted.map((row) => row.id));
        }
        return added;
      };
      if (!(await canTransact())) return write(db, D1_ROWS);
      return db.transaction().execute((trx) => write(trx, BATCH_ROWS));
    },

    async putImportOrigins(siteId, entries) {
      for (let i = 0; i < entries.length; i += 30) {
        await db
          .insertInto('import_origins')
          .values(
            entries
              .slice(i, i + 30)
              .map((entry) => ({ site_id: siteId, origin: entry.origin, comment_id: entry.commentId })),
          )
          .onConflict((oc) => oc.columns(['site_id', 'origin']).doNothing())
          .execute();
      }
    },

    async findImportOrigins(siteId, origins) {
      const found = new Map<string, ImportedPlace>();
      for (const slice of chunks(origins)) {
        const rows = await db
          .selectFrom('import_origins as o')
          .innerJoin('comments as c', 'c.id', 'o.comment_id')
          .select(['o.origin', 'c.id', 'c.thread_id', 'c.root_id', 'c.path', 'c.depth'])
          .where('o.site_id', '=', siteId)
          .where('o.origin', 'in', slice)
          .execute();
        for (const { origin, ...place } of rows) found.set(origin, place);
      }
      return found;
    },

    async refreshThreads(threadIds) {
      for (const id of new Set(threadIds)) {
        await db
          .updateTable('threads')
          .set((eb) => ({
            version: eb('version', '+', 1),
            comment_count: sql<number>`(select count(*) from comments where thread_id = ${id} and status = 'approved')`,
          }))
          .where('id', '=', id)
          .execute();
      }
    },
  };
}
