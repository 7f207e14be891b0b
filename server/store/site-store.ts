import { CompiledQuery, type Kysely } from 'kysely';
import { DEFAULT_SITE_SETTINGS, type SiteSettings } from '../../shared/admin-schemas.ts';
import { hotQueriesOf } from './atomic.ts';
import type { ChangeStamp } from './change-stamp.ts';
import type { Database, ThreadRow } from './schema.ts';

/** A site with its settings parsed and merged over the defaults. */
export interface SiteRecord {
  id: string;
  name: string;
  /** What the site stored, over DEFAULT_SITE_SETTINGS. */
  settings: SiteSettings;
  /** Only what the site stored; a setting it never set is absent (and the server's configuration may decide it). */
  overrides: Partial<SiteSettings>;
  version: number;
  createdAt: number;
}

/**
 * The sites comments belong to, and their settings.
 *
 * @example
 * const site = await store.getSite('default');
 * if (site?.settings.moderation === 'all') …
 */
export interface SiteStore {
  getSite(id: string): Promise<SiteRecord | undefined>;
  /** Every site, or those with these ids, by name. */
  listSites(ids?: readonly string[]): Promise<SiteRecord[]>;
  /** Creates a site with the settings it sets itself; fails if the id is taken. */
  insertSite(site: { id: string; name: string; settings: Partial<SiteSettings>; now: number }): Promise<void>;
  /**
   * Changes the name or replaces the stored settings (`settings` is the whole new set of overrides, not a patch),
   * and bumps the site's version, which invalidates every cached thread of the site.
   */
  updateSite(id: string, change: { name?: string; settings?: Partial<SiteSettings> }): Promise<void>;
  /**
   * The site and, if anyone has commented there, its thread with this key: in one query, for the public read path.
   * Undefined when the site does not exist.
   *
   * @example
   * const found = await store.findSiteThread('default', 'example.com/posts/a');
   * if (!found) throw notFound; const { site, thread } = found;
   */
  findSiteThread(siteId: string, key: string): Promise<{ site: SiteRecord; thread?: ThreadRow } | undefined>;
}

interface SiteRowShape {
  id: string;
  name: string;
  settings: string;
  version: number;
  created_at: number;
}

// Every read of a thread reads its site's settings; parsing the same JSON again each time would show up there.
const parsed = new Map<string, Partial<SiteSettings>>();

function parseSettings(json: string): Partial<SiteSettings> {
  let settings = parsed.get(json);
  if (!settings) {
    settings = JSON.parse(json) as Partial<SiteSettings>;
    if (parsed.size >= 500) parsed.clear();
    parsed.set(json, settings);
  }
  return settings;
}

function toSiteRecord(row: SiteRowShape): SiteRecord {
  const overrides = parseSettings(row.settings);
  return {
    id: row.id,
    name: row.name,
    settings: { ...DEFAULT_SITE_SETTINGS, ...overrides },
    overrides,
    version: row.version,
    createdAt: row.created_at,
  };
}

/** What `findSiteThread` reads: the site's columns, and the thread's (all null when it has none yet). */
interface SiteThreadRow {
  site_name: string;
  site_settings: string;
  site_version: number;
  site_created_at: number;
  id: string | null;
  url: string | null;
  title: string | null;
  locked: number | null;
  version: number | null;
  comment_count: number | null;
  created_at: number | null;
}

/** Lookups of a site and thread kept while the database stays unchanged; past this many, the oldest go. */
const SITE_THREADS_KEPT = 2000;

type SiteThread = Awaited<ReturnType<SiteStore['findSiteThread']>>;

export function siteQueries(db: Kysely<Database>, changes?: ChangeStamp): SiteStore {
  // Every page view and every post looks up its site and thread; most find what the previous one found.
  const siteThreads = new Map<string, { stamp: string; found: SiteThread }>();
  const hot = hotQueriesOf(db);

  // Every page view runs this query. Built and compiled once with stand-in values, then run with the real ones:
  // building and compiling it anew took as long as running it.
  const SITE = '\u0000site';
  const KEY = '\u0000key';
  let compiled: CompiledQuery<SiteThreadRow> | undefined;
  const siteThreadQuery = (siteId: string, key: string) => {
    compiled ??= db
      .selectFrom('sites as s')
      .leftJoin('threads as t', (join) => join.onRef('t.site_id', '=', 's.id').on('t.key', '=', KEY))
      .select([
        's.name as site_name',
        's.settings as site_settings',
        's.version as site_version',
        's.created_at as site_created_at',
        't.id',
        't.url',
        't.title',
        't.locked',
        't.version',
        't.comment_count',
        't.created_at',
      ])
      .where('s.id', '=', SITE)
      .compile();
    const parameters = compiled.parameters.map((value) =>
      value === SITE ? siteId : value === KEY ? key : value,
    );
    return CompiledQuery.raw(compiled.sql, parameters) as CompiledQuery<SiteThreadRow>;
  };

  return {
    async getSite(id) {
      const row = await db.selectFrom('sites').selectAll().where('id', '=', id).executeTakeFirst();
      return row && toSiteRecord(row);
    },
    async listSites(ids) {
      if (ids?.length === 0) return [];
      let query = db.selectFrom('sites').selectAll().orderBy('name');
      if (ids) query = query.where('id', 'in', ids);
      return (await query.execute()).map(toSiteRecord);
    },
    async insertSite({ id, name, settings, now }) {
      await db
        .insertInto('sites')
        .values({ id, name, settings: JSON.stringify(settings), created_at: now })
        .execute();
    },
    async updateSite(id, { name, settings }) {
      await db
        .updateTable('sites')
        .set((eb) => ({
          ...(name !== undefined && { name }),
          ...(settings !== undefined && { settings: JSON.stringify(settings) }),
          version: eb('version', '+', 1),
        }))
        .where('id', '=', id)
        .execute();
    },
    async findSiteThread(siteId, key) {
      const stamp = changes?.();
      if (stamp === undefined) return readSiteThread(siteId, key);
      const kept = `${siteId}\u0000${key}`;
      const hit = siteThreads.get(kept);
      if (hit?.stamp === stamp) return hit.found;
      const found = await readSiteThread(siteId, key);
      siteThreads.delete(kept);
      if (siteThreads.size >= SITE_THREADS_KEPT)
        siteThreads.delete(siteThreads.keys().next().value as string);
      siteThreads.set(kept, { stamp, found });
      return found;
    },
  };

  async function readSiteThread(siteId: string, key: string): Promise<SiteThread> {
    const { rows } = await hot<SiteThreadRow>(siteThreadQuery(siteId, key));
    const row = rows[0];
    if (!row) return undefined;
    const site = toSiteRecord({
      id: siteId,
      name: row.site_name,
      settings: row.site_settings,
      version: row.site_version,
      created_at: row.site_created_at,
    });
    if (row.id === null) return { site };
    const thread: ThreadRow = {
      id: row.id,
      site_id: siteId,
      key,
      url: row.url ?? '',
      title: row.title,
      locked: row.locked ?? 0,
      version: row.version ?? 0,
      comment_count: row.comment_count ?? 0,
      created_at: row.created_at ?? 0,
    };
    return { site, thread };
  }
}
