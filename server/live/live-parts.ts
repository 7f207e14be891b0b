import type { Config } from '../config.ts';
import type { CommentEvents } from '../events.ts';
import { effectiveSettings } from '../site-settings.ts';
import type { Store } from '../store/store.ts';
import { logUnlessOutage } from '../store/unavailable.ts';
import type { ThreadChange, ThreadChanges } from './changes.ts';
import { type LiveStreams, roomOf } from './hub.ts';
import { liveEventOf } from './live-events.ts';
import { createSiteFacts } from './site-facts.ts';
import { createThreadVersions } from './thread-versions.ts';

/**
 * Wires what live threads and the caches need: every write of this instance drops its stale version at
 * once and is published on the change channel; every change heard (this instance's and the others') drops the
 * versions it makes stale and reaches the thread's open streams. Writes that are not comment events (a thread's
 * title or lock, a vote, a site's settings, bans and webhooks, an import's recount) are told from a decorator of
 * the store, which also answers bans and webhooks from the site facts it keeps.
 */
export function createLiveParts({
  store,
  events,
  changes,
  streams,
  config,
  logError,
}: {
  store: Store;
  events: CommentEvents;
  changes: ThreadChanges;
  streams: LiveStreams;
  config: Config;
  logError: (error: unknown) => void;
}) {
  const versions = createThreadVersions(store, changes);
  const facts = createSiteFacts(store, changes);
  const quiet = logUnlessOutage(logError);

  // A thread's site and key never change once it exists (no write moves or re-keys one): kept by id, a comment
  // event is published without reading its thread again, which was a query on every post.
  const placeOf = new Map<string, { site: string; key: string }>();
  const PLACES_KEPT = 10_000;

  const publishThread = async (
    threadId: string,
    change: Omit<ThreadChange, 'site' | 'key' | 'thread' | 'version'>,
    version: number,
  ) => {
    let place = placeOf.get(threadId);
    if (!place) {
      const thread = await store.getThread(threadId);
      if (!thread) return;
      place = { site: thread.site_id, key: thread.key };
      if (placeOf.size >= PLACES_KEPT) placeOf.delete(placeOf.keys().next().value as string);
      placeOf.set(threadId, place);
    }
    await changes.publish({ ...place, thread: threadId, version, ...change });
  };

  events.listen(({ type, comment, version }) => {
    // Before the first await: listeners start before the route that wrote answers, so its next read is fresh.
    versions.forgetVersion(comment.site_id ?? '', '', comment.thread_id);
    return publishThread(comment.thread_id, { type, comment: comment.id }, version);
  });

  changes.subscribe((change, row) => {
    const room = roomOf(change.site, change.key);
    if (!change.key || !streams.wants(room)) return;
    return (async () => {
      const current = change.comment && !row ? await store.getComment(change.comment) : row;
      const found = await versions.find(change.site, change.key);
      const badge = found ? effectiveSettings(found.site, config).ownerBadge : false;
      await streams.publish(room, change.version, liveEventOf(change, current, badge));
    })();
  });
  changes.onGap(() => streams.gap());

  /** Past this many threads (an import), a change is told once per site rather than once per thread. */
  const THREADS_TOLD_ONE_BY_ONE = 50;

  const threadsChanged = async (threadIds: readonly string[]) => {
    const threads = await store.getThreads(threadIds);
    if (threads.length > THREADS_TOLD_ONE_BY_ONE) {
      for (const site of new Set(threads.map((thread) => thread.site_id))) await siteChanged(site);
      return;
    }
    for (const thread of threads) {
      versions.forget(thread.site_id, thread.key, thread.id);
      await changes.publish({
        site: thread.site_id,
        key: thread.key,
        thread: thread.id,
        version: thread.version,
        type: 'thread',
      });
    }
  };

  const siteChanged = async (site: string) => {
    versions.forget(site, '', '');
    facts.forget(site);
    await changes.publish({ site, key: '', thread: '', version: 0, type: 'site' });
  };

  /** The store, telling of the writes that change threads' pages without being comment events. */
  const trackedStore: Store = {
    ...store,
    async setThreadTitle(threadId, title) {
      await store.setThreadTitle(threadId, title);
      await threadsChanged([threadId]).catch(quiet);
    },
    async setThreadLocked(threadId, locked) {
      await store.setThreadLocked(threadId, locked);
      await threadsChanged([threadId]).catch(quiet);
    },
    async refreshThreads(threadIds) {
      await store.refreshThreads(threadIds);
      await threadsChanged(threadIds).catch(quiet);
    },
    async setVote(input) {
      const result = await store.setVote(input);
      const comment = await store.getComment(input.commentId);
      if (comment) await threadsChanged([comment.thread_id]).catch(quiet);
      return result;
    },
    async updateSite(id, change) {
      await store.updateSite(id, change);
      await siteChanged(id).catch(quiet);
    },
    findBan: facts.findBan,
    listWebhooks: facts.listWebhooks,
    async insertBan(ban) {
      await store.insertBan(ban);
      await siteChanged(ban.site_id).catch(quiet);
    },
    async renewBan(id, change) {
      await store.renewBan(id, change);
      const ban = await store.getBan(id);
      if (ban) await siteChanged(ban.site_id).catch(quiet);
    },
    async deleteBan(id) {
      const ban = await store.getBan(id);
      await store.deleteBan(id);
      if (ban) await siteChanged(ban.site_id).catch(quiet);
    },
    async insertWebhook(webhook) {
      await store.insertWebhook(webhook);
      await siteChanged(webhook.site_id).catch(quiet);
    },
    async deleteWebhook(id) {
      const webhook = await store.getWebhook(id);
      await store.deleteWebhook(id);
      if (webhook) await siteChanged(webhook.site_id).catch(quiet);
    },
  };

  return { versions, store: trackedStore };
}
