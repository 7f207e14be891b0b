import { type Kysely, sql } from 'kysely';
import { hotQueriesOf } from './atomic.ts';
import { chunks } from './chunks.ts';
import { compiledTemplate } from './compiled.ts';
import type {
  AuditRow,
  BanRow,
  CommentRow,
  CommentStatus,
  Database,
  NewAuditRow,
  NewBanRow,
  ThreadRow,
} from './schema.ts';

/** An audit entry with its actor's name as the account has it today (null once the account is gone). */
export interface AuditRecord extends AuditRow {
  actor_name: string | null;
}

/** A comment with the thread it belongs to, as moderators see it. */
export interface ModComment extends CommentRow {
  /** The thread's site: authoritative for access checks. */
  thread_site_id: string;
  thread_key: string;
  thread_url: string;
  thread_title: string | null;
  /** The stored lock (1 locked, -1 kept open, 0 until auto-close); see ThreadsTable.locked. */
  thread_locked: number;
  thread_created_at: number;
  /** The parent's author and the start of its markdown, so a reply can be judged without opening the thread. */
  parent_author_name: string | null;
  parent_excerpt: string | null;
}

/** Where a newest-first listing continues: strictly older than this comment. */
export interface Keyset {
  createdAt: number;
  id: string;
}

/** What the moderation queue is filtered by; every filter is optional. */
export interface CommentFilter {
  /** Only these sites; undefined means every site (a server owner). */
  siteIds?: readonly string[];
  status?: CommentStatus;
  threadId?: string;
  /** Case-insensitive substring of the body, the author's name or email. */
  q?: string;
  before?: Keyset;
  limit: number;
}

/** The commenter a check or ban is about, as the keyed hashes stored with comments. */
export interface Commenter {
  emailHash: string | null;
  clientHash: string;
}

/*
 * What moderation needs beyond the public comment queries, one interface per concern: the queue and threads,
 * bans, the audit log, and counts. Every method is one round trip unless it says otherwise; none needs a
 * transaction (D1 has none): each write is a single statement.
 */

/**
 * The moderation queue, threads with every comment and their locks, whether a commenter is known, and exports.
 *
 * @example const page = await store.listComments({ siteIds: ['blog'], status: 'pending', limit: 50 });
 */
export interface ModerationStore {
  /**
   * Comments matching the filter, newest first (`created_at`, then `id`, both descending), with their threads.
   * Returns up to `limit + 1` rows so the caller can tell whether another page exists.
   */
  listComments(filter: CommentFilter): Promise<ModComment[]>;

  /** These comments with their threads, in no particular order; unknown ids are left out. Any number of ids. */
  getModComments(ids: readonly string[]): Promise<ModComment[]>;

  /** Every comment of a thread, whatever its status, depth-first. */
  listThreadComments(threadId: string): Promise<ModComment[]>;

  getThread(id: string): Promise<ThreadRow | undefined>;

  /** Sets the stored lock (1 locked, -1 kept open despite auto-close, 0 default) and bumps the thread's version. */
  setThreadLocked(threadId: string, locked: -1 | 0 | 1): Promise<void>;

  /** Sets a thread's title and bumps its version, so readers' cached pages show it. */
  setThreadTitle(threadId: string, title: string): Promise<void>;

  /** These threads, in no particular order; unknown ids are left out. Any number of ids. */
  getThreads(ids: readonly string[]): Promise<ThreadRow[]>;

  /** Whether this commenter (same email hash, or same client hash) has an approved comment on the site. */
  hasApprovedComment(siteId: string, commenter: Commenter): Promise<boolean>;

  /** A site's comments with their threads, oldest first, after `after`; for exports, page by page. */
  listSiteComments(siteId: string, after: Keyset | undefined, limit: number): Promise<ModComment[]>;
}

/**
 * Bans of commenters, by the keyed hash of their email or client address, per site.
 *
 * @example const ban = await store.findBan('blog', { emailHash, clientHash });
 */
export interface BanStore {
  /** A ban on the site matching the commenter's email hash or client hash and still in force at `now`, if any. */
  findBan(siteId: string, commenter: Commenter, now: number): Promise<BanRow | undefined>;

  /** The ban of this kind on this value, if one exists (ended or not). */
  findBanOf(siteId: string, kind: BanRow['kind'], valueHash: string): Promise<BanRow | undefined>;

  /** A ban without `expires_at` applies until it is lifted. */
  insertBan(ban: NewBanRow): Promise<void>;

  /** Gives an existing ban a new end (null: never) and reason, as banning the same commenter again does. */
  renewBan(id: string, change: { expiresAt: number | null; reason: string }): Promise<void>;

  getBan(id: string): Promise<BanRow | undefined>;

  /** A site's bans still in force at `now`, newest first. */
  listBans(siteId: string, now: number): Promise<BanRow[]>;

  /**
   * A commenter's comments on a site that are not deleted, with their threads, newest first: those with this
   * email hash, and those from this client hash (either may be left out). At most `limit`.
   */
  listCommenterComments(
    siteId: string,
    commenter: { emailHash?: string | null; clientHash?: string | null },
    limit: number,
  ): Promise<ModComment[]>;

  deleteBan(id: string): Promise<void>;
}

/**
 * The audit log: who changed what, and when.
 *
 * @example await store.insertAudit({ id, site_id: 'blog', actor_id, actor_email, action: 'comment.approve', … });
 */
export interface AuditStore {
  insertAudit(entry: NewAuditRow): Promise<void>;

  /**
   * Audit entries newest first (ids sort by time), up to `limit + 1`, with their actors' names. `siteIds`
   * undefined means every entry, including those of no site; otherwise only entries of those sites.
   */
  listAudit(query: { siteIds?: readonly string[]; before?: string; limit: number }): Promise<AuditRecord[]>;
}

/**
 * Counts for the dashboard's overview.
 *
 * @example const { pending, spam } = await store.countByStatus(['blog']);
 */
export interface StatsStore {
  /** How many comments of these sites (undefined: every site) are in each status. */
  countByStatus(siteIds?: readonly string[]): Promise<Record<CommentStatus, number>>;

  /**
   * How many comments of these sites (undefined: every site) were created in each `[start, end)` range of epoch
   * milliseconds, in the order given. Day buckets are computed by the caller: no engine's date functions.
   */
  countCreatedIn(
    siteIds: readonly string[] | undefined,
    ranges: ReadonlyArray<[number, number]>,
  ): Promise<number[]>;
}

/** `%`, `_` and the escape character itself match literally in a LIKE pattern with `escape '\'`. */
const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;

const PARENT_EXCERPT_CHARS = 160;

const STATUSES: CommentStatus[] = ['approved', 'pending', 'spam', 'deleted'];

export function moderationQueries(
  db: Kysely<Database>,
): ModerationStore & BanStore & AuditStore & StatsStore {
  const hot = hotQueriesOf(db);
  // Every post asks for a ban, so the two shapes of the question are compiled once (`compiledTemplate`).
  const banIn = (v: { siteId: string; now: number }) =>
    db
      .selectFrom('bans')
      .selectAll()
      .where('site_id', '=', v.siteId)
      .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', v.now)]))
      // A literal: with `limit ?` SQLite took ~15 µs more to answer, on an empty table (the plan cannot use it).
      .limit(sql.lit(1));
  const banOfClient = compiledTemplate(['siteId', 'now', 'clientHash'], (v) =>
    banIn(v).where((eb) => eb.and([eb('kind', '=', 'client'), eb('value_hash', '=', v.clientHash)])),
  );
  const banOfEither = compiledTemplate(['siteId', 'now', 'clientHash', 'emailHash'], (v) =>
    banIn(v).where((eb) =>
      eb.or([
        eb.and([eb('kind', '=', 'client'), eb('value_hash', '=', v.clientHash)]),
        eb.and([eb('kind', '=', 'email'), eb('value_hash', '=', v.emailHash)]),
      ]),
    ),
  );
  const withThread = () =>
    db
      .selectFrom('comments as c')
      .innerJoin('threads as t', 't.id', 'c.thread_id')
      .leftJoin('comments as p', 'p.id', 'c.parent_id')
      .selectAll('c')
      .select([
        'p.author_name as parent_author_name',
        sql<string | null>`substr(${sql.ref('p.body')}, 1, ${sql.lit(PARENT_EXCERPT_CHARS)})`.as(
          'parent_excerpt',
        ),
        't.site_id as thread_site_id',
        't.key as thread_key',
        't.url as thread_url',
        't.title as thread_title',
        't.locked as thread_locked',
        't.created_at as thread_created_at',
      ]);

  return {
    async listComments({ siteIds, status, threadId, q, before, limit }) {
      if (siteIds?.length === 0) return [];
      let query = withThread();
      if (siteIds?.length === 1) query = query.where('c.site_id', '=', siteIds[0] ?? '');
      else if (siteIds) query = query.where('c.site_id', 'in', siteIds);
      if (status) query = query.where('c.status', '=', status);
      if (threadId) query = query.where('c.thread_id', '=', threadId);
      if (q) {
        const pattern = likePattern(q);
        // lower() on both sides and LIKE … ESCAPE work on every engine (ILIKE is PostgreSQL's alone). SQLite's
        // lower() folds ASCII only, so there other letters match in the case they were written.
        query = query.where((eb) =>
          eb.or(
            (['c.body', 'c.author_name', 'c.author_email'] as const).map(
              (column) => sql<boolean>`lower(${eb.ref(column)}) like lower(${pattern}) escape '\\'`,
            ),
          ),
        );
      }
      if (before) {
        // The first bound alone is what lets the engine start the index scan at the cursor instead of walking
        // down to it from the newest comment; the OR then settles ties within one millisecond.
        query = query
          .where('c.created_at', '<=', before.createdAt)
          .where((eb) => eb.or([eb('c.created_at', '<', before.createdAt), eb('c.id', '<', before.id)]));
      }
      return query
        .orderBy('c.created_at', 'desc')
        .orderBy('c.id', 'desc')
        .limit(limit + 1)
        .execute();
    },

    async getModComments(ids) {
      const rows: ModComment[] = [];
      for (const slice of chunks([...new Set(ids)])) {
        rows.push(...(await withThread().where('c.id', 'in', slice).execute()));
      }
      return rows;
    },

    listThreadComments: (threadId) =>
      withThread().where('c.thread_id', '=', threadId).orderBy('c.path').execute(),

    getThread: (id) => db.selectFrom('threads').selectAll().where('id', '=', id).executeTakeFirst(),

    async getThreads(ids) {
      const rows: ThreadRow[] = [];
      for (const slice of chunks([...new Set(ids)])) {
        rows.push(...(await db.selectFrom('threads').selectAll().where('id', 'in', slice).execute()));
      }
      return rows;
    },

    async setThreadTitle(threadId, title) {
      await db
        .updateTable('threads')
        .set((eb) => ({ title, version: eb('version', '+', 1) }))
        .where('id', '=', threadId)
        .execute();
    },

    async setThreadLocked(threadId, locked) {
      await db
        .updateTable('threads')
        .set((eb) => ({ locked, version: eb('version', '+', 1) }))
        .where('id', '=', threadId)
        .execute();
    },

    async hasApprovedComment(siteId, { emailHash, clientHash }) {
      const row = await db
        .selectFrom('comments')
        .select('id')
        .where('site_id', '=', siteId)
        .where('status', '=', 'approved')
        .where((eb) =>
          emailHash
            ? eb.or([eb('email_hash', '=', emailHash), eb('client_hash', '=', clientHash)])
            : eb('client_hash', '=', clientHash),
        )
        .limit(1)
        .executeTakeFirst();
      return row !== undefined;
    },

    async findBan(siteId, { emailHash, clientHash }, now) {
      const query = emailHash
        ? banOfEither({ siteId, now, clientHash, emailHash })
        : banOfClient({ siteId, now, clientHash });
      const { rows } = await hot(query);
      return rows[0];
    },

    findBanOf: (siteId, kind, valueHash) =>
      db
        .selectFrom('bans')
        .selectAll()
        .where('site_id', '=', siteId)
        .where('kind', '=', kind)
        .where('value_hash', '=', valueHash)
        .executeTakeFirst(),

    async insertBan(ban) {
      await db.insertInto('bans').values(ban).execute();
    },

    async renewBan(id, { expiresAt, reason }) {
      await db.updateTable('bans').set({ expires_at: expiresAt, reason }).where('id', '=', id).execute();
    },

    getBan: (id) => db.selectFrom('bans').selectAll().where('id', '=', id).executeTakeFirst(),

    listBans: (siteId, now) =>
      db
        .selectFrom('bans')
        .selectAll()
        .where('site_id', '=', siteId)
        .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .execute(),

    async listCommenterComments(siteId, { emailHash, clientHash }, limit) {
      if (!emailHash && !clientHash) return [];
      return withThread()
        .where('c.site_id', '=', siteId)
        .where('c.status', '!=', 'deleted')
        .where((eb) =>
          eb.or([
            ...(emailHash ? [eb('c.email_hash', '=', emailHash)] : []),
            ...(clientHash ? [eb('c.client_hash', '=', clientHash)] : []),
          ]),
        )
        .orderBy('c.created_at', 'desc')
        .orderBy('c.id', 'desc')
        .limit(limit)
        .execute();
    },

    async deleteBan(id) {
      await db.deleteFrom('bans').where('id', '=', id).execute();
    },

    async insertAudit(entry) {
      await db.insertInto('audit_log').values(entry).execute();
    },

    async listAudit({ siteIds, before, limit }) {
      if (siteIds?.length === 0) return [];
      let query = db
        .selectFrom('audit_log as a')
        .leftJoin('users as u', 'u.id', 'a.actor_id')
        .selectAll('a')
        .select('u.name as actor_name');
      if (siteIds) query = query.where('a.site_id', 'in', siteIds);
      if (before) query = query.where('a.id', '<', before);
      return query
        .orderBy('a.id', 'desc')
        .limit(limit + 1)
        .execute();
    },

    async countByStatus(siteIds) {
      const counts = Object.fromEntries(STATUSES.map((status) => [status, 0])) as Record<
        CommentStatus,
        number
      >;
      if (siteIds?.length === 0) return counts;
      let query = db
        .selectFrom('comments')
        .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
        .groupBy('status');
      if (siteIds) query = query.where('site_id', 'in', siteIds);
      for (const row of await query.execute()) counts[row.status] = row.n;
      return counts;
    },

    async countCreatedIn(siteIds, ranges) {
      if (siteIds?.length === 0 || ranges.length === 0) return ranges.map(() => 0);
      const first = Math.min(...ranges.map(([start]) => start));
      const last = Math.max(...ranges.map(([, end]) => end));
      // One pass over the rows of the whole span; each range is a conditional count. The bounds are numbers we
      // computed, inlined as literals so the statement stays within D1's limit on bound parameters.
      let query = db
        .selectFrom('comments')
        .select(
          ranges.map(([start, end], i) =>
            sql<number>`count(case when created_at >= ${sql.lit(start)} and created_at < ${sql.lit(end)} then 1 end)`.as(
              `r${i}`,
            ),
          ),
        )
        .where('created_at', '>=', first)
        .where('created_at', '<', last);
      if (siteIds) query = query.where('site_id', 'in', siteIds);
      const row = (await query.executeTakeFirst()) as Record<string, number> | undefined;
      return ranges.map((_, i) => row?.[`r${i}`] ?? 0);
    },

    async listSiteComments(siteId, after, limit) {
      let query = withThread().where('c.site_id', '=', siteId);
      if (after) {
        query = query
          .where('c.created_at', '>=', after.createdAt)
          .where((eb) => eb.or([eb('c.created_at', '>', after.createdAt), eb('c.id', '>', after.id)]));
      }
      return query.orderBy('c.created_at').orderBy('c.id').limit(limit).execute();
    },
  };
}
