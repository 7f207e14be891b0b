import type { Store } from '../store/store.ts';
import type { ThreadChanges } from './changes.ts';
import { createVouchedCache } from './vouched-cache.ts';

type Found = Awaited<ReturnType<Store['findSiteThread']>>;

const ENTRIES_KEPT = 5000;

const entryKey = (siteId: string, key: string) => `${siteId}\u0000${key}`;

/**
 * The site and thread every page view starts from (`findSiteThread`), kept in the process while the change channel
 * vouches for them (see `createVouchedCache`): on PostgreSQL a cached page then costs no round trip at all. Each
 * instance drops an entry when told of a change to its thread: its own writes at once, others' through the channel.
 *
 * @example
 * const versions = createThreadVersions(store, changes);
 * const found = await versions.find('default', 'example.com/posts/a');
 */
export function createThreadVersions(store: Store, changes: ThreadChanges) {
  const cache = createVouchedCache<Found>(changes, ENTRIES_KEPT);

  /**
   * Drops what a change makes stale: the thread by its key; by its id when the key is not at hand, with the site's
   * pages read before it had a thread (its first comment creates it); the whole site when neither is given.
   */
  const forget = (siteId: string, key: string, threadId: string) => {
    if (key) {
      cache.dropName(entryKey(siteId, key));
      return;
    }
    const prefix = entryKey(siteId, '');
    cache.drop((name, found) => {
      const id = found?.thread?.id;
      if (id === threadId && threadId) return true;
      return name.startsWith(prefix) && (!threadId || id === undefined);
    });
  };

  changes.subscribe((change) => forget(change.site, change.key, change.thread));
  changes.onGap(() => cache.clear());

  return {
    /** `store.findSiteThread`, answered from memory while that is known to be current. */
    find: (siteId: string, key: string): Promise<Found> =>
      cache.get(entryKey(siteId, key), () => store.findSiteThread(siteId, key)),
    /**
     * Drops at once what a write of this instance made stale, before its answer is sent: the channel's echo comes
     * later, and the writer's next read must see its own write.
     */
    forget,
  };
}

export type ThreadVersions = ReturnType<typeof createThreadVersions>;
