import type { ThreadChanges } from './changes.ts';

interface Entry<V> {
  value: V;
  /** When the read that filled it started (epoch ms). */
  readAt: number;
}

/**
 * Past this age a value is read again even while the channel says nothing: a bound on what a lost notification
 * (one sent while the pool was failing) or a write from outside the servers (the command line) can leave stale.
 */
const MAX_TRUSTED_AGE_MS = 10_000;

/**
 * Values read from the database and kept in the process while the change channel vouches for them: the owner drops
 * an entry when a change (this instance's or another's, as the channel tells) makes it stale. While the channel is
 * down an entry lives `fallbackTtlMs` at most, so staleness stays bounded either way; with nothing to vouch (one
 * process on SQLite, where the command line may write unseen) every read goes to the database. A read that
 * overlapped a drop is used but not kept, so an older answer never outlives the change that superseded it.
 *
 * @example
 * const hooks = createVouchedCache<WebhookRow[]>(changes, 1000);
 * const list = await hooks.get(siteId, () => store.listWebhooks(siteId));
 * hooks.drop((name) => name === siteId);
 */
export function createVouchedCache<V>(changes: ThreadChanges, kept: number) {
  const entries = new Map<string, Entry<V>>();
  /** Counts the drops; a read that saw it move may be older than one of them. */
  let generation = 0;

  const keeps = () => changes.fallbackTtlMs > 0 || changes.trustedSince() !== undefined;

  const usable = (entry: Entry<V>, now: number) => {
    const since = changes.trustedSince();
    if (since !== undefined && entry.readAt >= since && now - entry.readAt < MAX_TRUSTED_AGE_MS) return true;
    return now - entry.readAt < changes.fallbackTtlMs;
  };

  return {
    /** Whether a value read now could be kept at all: false when every read must go to the database. */
    keeps,

    /**
     * The value kept under `name` while it is current, else what `read` answers: kept unless a drop overlapped the
     * read or `keep` refuses it.
     */
    async get(name: string, read: () => Promise<V>, keep: (value: V) => boolean = () => true): Promise<V> {
      if (!keeps()) return read();
      const now = Date.now();
      const entry = entries.get(name);
      if (entry && usable(entry, now)) return entry.value;
      const seen = generation;
      const value = await read();
      if (seen === generation && keep(value)) {
        entries.delete(name);
        entries.set(name, { value, readAt: now });
        if (entries.size > kept) entries.delete(entries.keys().next().value as string);
      }
      return value;
    },

    /** Drops the entries `stale` picks. */
    drop(stale: (name: string, value: V) => boolean) {
      generation++;
      for (const [name, entry] of entries) if (stale(name, entry.value)) entries.delete(name);
    },

    /** Drops one entry by name, without looking at the others. */
    dropName(name: string) {
      generation++;
      entries.delete(name);
    },

    clear() {
      generation++;
      entries.clear();
    },
  };
}
