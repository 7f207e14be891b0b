import type { Access } from '../../shared/admin-schemas.ts';
import { ApiError } from '../errors.ts';
import type { UserRow } from '../store/schema.ts';
import type { Store } from '../store/store.ts';

/** What a site action needs: `moderate` (any role), `manage` (site owner), `admin` (server owner). */
export type Need = 'moderate' | 'manage' | 'admin';

const SATISFIES: Record<Access, readonly Need[]> = {
  admin: ['moderate', 'manage', 'admin'],
  owner: ['moderate', 'manage'],
  moderator: ['moderate'],
};

/** The caller's access to a site, or null for none. */
export async function accessTo(store: Store, user: UserRow, siteId: string): Promise<Access | null> {
  if (user.is_admin) return 'admin';
  return (await store.getMembership(siteId, user.id))?.role ?? null;
}

/**
 * Throws 403 unless the user may do `need` on the site, and 404 for an admin asking about a site that does not
 * exist. Members get 403 for unknown sites too, so ids cannot be probed.
 *
 * @example await authorize(store, user, 'blog', 'manage');
 */
export async function authorize(store: Store, user: UserRow, siteId: string, need: Need): Promise<Access> {
  const access = await accessTo(store, user, siteId);
  if (access && SATISFIES[access].includes(need)) {
    if (access === 'admin' && !(await store.getSite(siteId))) {
      throw new ApiError(404, 'not_found', 'No such site');
    }
    return access;
  }
  throw new ApiError(403, 'forbidden', 'You do not have access to this on that site');
}

/** Ids of the sites the user may moderate; undefined means every site (a server owner). */
export async function moderatedSiteIds(store: Store, user: UserRow): Promise<string[] | undefined> {
  if (user.is_admin) return undefined;
  return (await store.listMemberships(user.id)).map((member) => member.site_id);
}
