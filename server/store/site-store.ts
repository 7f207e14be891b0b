import type { Kysely } from 'kysely';
import { DEFAULT_SITE_SETTINGS, type SiteSettings } from '../../shared/admin-schemas.ts';
import type { Database } from './schema.ts';

/** A site with its settings parsed and merged over the defaults. */
export interface SiteRecord {
  id: string;
  name: string;
  settings: SiteSettings;
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
  /** Creates a site; fails if the id is taken. */
  insertSite(site: { id: string; name: string; settings: SiteSettings; now: number }): Promise<void>;
  /** Changes name or settings and bumps the site's version, which invalidates every cached thread of the site. */
  updateSite(id: string, change: { name?: string; settings?: SiteSettings }): Promise<void>;
}

interface SiteRowShape {
  id: string;
  name: string;
  settings: string;
  version: number;
  created_at: number;
}

export function toSiteRecord(row: SiteRowShape): SiteRecord {
  return {
    id: row.id,
    name: row.name,
    settings: { ...DEFAULT_SITE_SETTINGS, ...(JSON.parse(row.settings) as Partial<SiteSettings>) },
    version: Number(row.version),
    createdAt: Number(row.created_at),
  };
}

export function siteQueries(db: Kysely<Database>): SiteStore {
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
  };
}
