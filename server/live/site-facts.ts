import type { BanRow, WebhookRow } from '../store/schema.ts';
import type { Store } from '../store/store.ts';
import type { ThreadChanges } from './changes.ts';
import { createVouchedCache } from './vouched-cache.ts';

const SITES_KEPT = 1000;
/** Past this many bans in force a site's bans are looked up one by one instead of kept. */
const BANS_KEPT_PER_SITE = 500;

type Commenter = Parameters<Store['findBan']>[1];

/** A site's bans in force when read, by `kind:value_hash`; undefined when it has too many to keep. */
type BanIndex = Map<string, BanRow> | undefined;

/**
 * What every post asks of its site besides the thread: is the commenter banned, and which webhooks to tell. Both
 * change only through the dashboard, so on PostgreSQL they are kept in the process while the change channel vouches
 * for them and dropped by a site's change (`type: 'site'`): a post then costs two round trips fewer. Where nothing
 * vouches for them (SQLite) each question goes to the store as before.
 *
 * @example
 * const facts = createSiteFacts(store, changes);
 * const ban = await facts.findBan('default', { emailHash, clientHash }, Date.now());
 */
export function createSiteFacts(store: Store, changes: ThreadChanges) {
  const webhooks = createVouchedCache<WebhookRow[]>(changes, SITES_KEPT);
  const bans = createVouchedCache<BanIndex>(changes, SITES_KEPT);

  const forget = (siteId: string) => {
    webhooks.dropName(siteId);
    bans.dropName(siteId);
  };
  changes.subscribe((change) => {
    if (change.type === 'site') forget(change.site);
  });
  changes.onGap(() => {
    webhooks.clear();
    bans.clear();
  });

  const readBans = async (siteId: string, now: number): Promise<BanIndex> => {
    const rows = await store.listBans(siteId, now);
    if (rows.length > BANS_KEPT_PER_SITE) return undefined;
    return new Map(rows.map((row) => [`${row.kind}:${row.value_hash}`, row]));
  };

  const inForce = (ban: BanRow | undefined, now: number) =>
    ban && (ban.expires_at === null || ban.expires_at > now) ? ban : undefined;

  return {
    /** `store.listWebhooks`, answered from memory while that is known to be current. */
    listWebhooks: (siteId: string) => webhooks.get(siteId, () => store.listWebhooks(siteId)),

    /**
     * `store.findBan`, answered from memory while the site's bans are known and few. Where nothing could keep them,
     * one indexed lookup, not the site's whole list.
     */
    async findBan(siteId: string, commenter: Commenter, now: number): Promise<BanRow | undefined> {
      if (!bans.keeps()) return store.findBan(siteId, commenter, now);
      const index = await bans.get(siteId, () => readBans(siteId, now));
      if (!index) return store.findBan(siteId, commenter, now);
      return (
        inForce(index.get(`client:${commenter.clientHash}`), now) ??
        (commenter.emailHash ? inForce(index.get(`email:${commenter.emailHash}`), now) : undefined)
      );
    },

    /** Drops a site's facts at once after a write of this instance, before the channel's echo. */
    forget,
  };
}
