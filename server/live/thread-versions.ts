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
   * What a post checks (the site, the thread's id, lock and title), which comments do not change: kept apart from
   * the versions, which every comment changes, so that posts to a busy thread do not read it each time. Only a
   * thread that exists is kept (its first comment creates it).
   */
  const forWrites = createVouchedCache<Found>(changes, ENTRIES_KEPT);

  /**
   * Drops from `from` what a change makes stale: the thread by its key; by its id when the key is not at hand, with
   * the site's pages read before it had a thread (its first comment creates it); the whole site when neither is
   * given.
   */
  const dropFrom = (from: typeof cache, siteId: string, key: string, threadId: string) => {
    if (key) {
      from.dropName(entryKey(siteId, key));
      return;
    }
    const prefix = entryKey(siteId, '');
    from.drop((name, found) => {
      const id = found?.thread?.id;
      if (id === threadId && threadId) return true;
      return name.startsWith(prefix) && (!threadId || id === undefined);
    });
  };

  /** A comment's change: the thread's version moves, nothing a post checks. */
  const forgetVersion = (siteId: string, key: string, threadId: string) =>
    dropFrom(cache, siteId, key, threadId);
  /** A change of the thread itself (title, lock, a recount) or of its site. */
  const forget = (siteId: string, key: string, threadId: string) => {
    dropFrom(cache, siteId, key, threadId);
    dropFrom(forWrites, siteId, key, threadId);
  };

  changes.subscribe((change) => {
    const ofComment = change.type !== 'thread' && change.type !== 'site';
    (ofComment ? forgetVersion : forget)(change.site, change.key, change.thread);
  });
  changes.onGap(() => {
    cache.clear();
    forWrites.clear();
  });

  return {
    /** `store.findSiteThread`, answered from memory while that is known to be current. */
    find: (siteId: string, key: string): Promise<Found> =>
      cache.get(entryKey(siteId, key), () => store.findSiteThread(siteId, key)),
    /**
     * `store.findSiteThread` for a post: its site and thread as current as `find`'s, but for the thread's version
     * and counts, which the post does not use.
     */
    findForWrite: (siteId: string, key: string): Promise<Found> =>
      forWrites.get(
        entryKey(siteId, key),
        () => store.findSiteThread(siteId, key),
        (found) => found?.thread !== undefined,
      ),
    /**
     * Drop at once what a write of this instance made stale, before its answer is sent: the channel's echo comes
     * later, and the writer's next read must see its own write.
     */
    forget,
    forgetVersion,
  };
}

export type ThreadVersions = ReturnType<typeof createThreadVersions>;
