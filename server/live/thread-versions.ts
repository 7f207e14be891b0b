import type { Store } from '../store/store.ts';
import type { ThreadChanges } from './changes.ts';

type Found = Awaited<ReturnType<Store['findSiteThread']>>;

interface Entry {
  found: Found;
  /** When the read that filled it started (epoch ms). */
  readAt: number;
}

/**
 * Past this age a version is read again even while the channel says nothing: a bound on what a lost notification
 * (one sent while the pool was failing) or a write from outside the servers (the command line) can leave stale.
 */
const MAX_TRUSTED_AGE_MS = 10_000;
const ENTRIES_KEPT = 5000;

const entryKey = (siteId: string, key: string) => `${siteId}\u0000${key}`;

/**
 * The site and thread every page view starts from (`findSiteThread`), kept in the process while the change channel
 * vouches for them: on PostgreSQL a cached page then costs no round trip at all. Each instance drops an entry when
 * told of a change to its thread (its own writes at once, others' through the channel); while the channel is down
 * an entry lives `fallbackTtlMs` at most, so staleness stays bounded either way. A read that overlapped a change is
 * used but not kept, so an older answer never outlives the change that superseded it.
 *
 * @example
 * const versions = createThreadVersions(store, changes);
 * const found = await versions.find('default', 'example.com/posts/a');
 */
export function createThreadVersions(store: Store, changes: ThreadChanges) {
  const entries = new Map<string, Entry>();
  /** Counts the changes heard; a read that saw it move may be older than one of them. */
  let generation = 0;

  /**
   * Drops what a change makes stale: the thread by its key; by its id when the key is not at hand, with the site's
   * pages read before it had a thread (its first comment creates it); the whole site when neither is given.
   */
  const forget = (siteId: string, key: string, threadId: string) => {
    generation++;
    if (key) {
      entries.delete(entryKey(siteId, key));
      return;
    }
    const prefix = entryKey(siteId, '');
    for (const [name, entry] of entries) {
      const id = entry.found?.thread?.id;
      if (id === threadId && threadId) entries.delete(name);
      else if (name.startsWith(prefix) && (!threadId || id === undefined)) entries.delete(name);
    }
  };

  changes.subscribe((change) => forget(change.site, change.key, change.thread));
  changes.onGap(() => {
    generation++;
    entries.clear();
  });

  const usable = (entry: Entry, now: number) => {
    const since = changes.trustedSince();
    if (since !== undefined && entry.readAt >= since && now - entry.readAt < MAX_TRUSTED_AGE_MS) return true;
    return now - entry.readAt < changes.fallbackTtlMs;
  };

  return {
    /** `store.findSiteThread`, answered from memory while that is known to be current. */
    async find(siteId: string, key: string): Promise<Found> {
      const name = entryKey(siteId, key);
      const now = Date.now();
      const entry = entries.get(name);
      if (entry && usable(entry, now)) return entry.found;
      const seen = generation;
      const found = await store.findSiteThread(siteId, key);
      if (seen === generation) {
        entries.delete(name);
        entries.set(name, { found, readAt: now });
        if (entries.size > ENTRIES_KEPT) entries.delete(entries.keys().next().value as string);
      }
      return found;
    },
    /**
     * Drops at once what a write of this instance made stale, before its answer is sent: the channel's echo comes
     * later, and the writer's next read must see its own write.
     */
    forget,
  };
}

export type ThreadVersions = ReturnType<typeof createThreadVersions>;
