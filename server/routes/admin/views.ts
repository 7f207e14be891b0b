import type { Access, AdminComment, AdminThread, Ban, Site } from '../../../shared/admin-schemas.ts';
import { storedCommentView } from '../../comment-view.ts';
import type { Config } from '../../config.ts';
import type { EffectiveSettings } from '../../site-settings.ts';
import { effectiveSettings, isLocked } from '../../site-settings.ts';
import type { ModComment } from '../../store/moderation-store.ts';
import type { BanRow, ThreadRow } from '../../store/schema.ts';
import type { SiteRecord } from '../../store/site-store.ts';

/** A site as the dashboard sees it: its settings as they apply, the server's configuration filling the gaps. */
export function toSiteView(site: SiteRecord, access: Access, config: Config): Site {
  const { editWindowMs: _, ...settings } = effectiveSettings(site, config);
  return { id: site.id, name: site.name, settings, access, createdAt: site.createdAt };
}

/**
 * A comment as moderators see it: everything, whatever its status. `settings` are its site's (for the thread's
 * auto-close); `now` decides that.
 */
export function toAdminComment(row: ModComment, settings: EffectiveSettings, now: number): AdminComment {
  return {
    ...storedCommentView(row),
    siteId: row.thread_site_id,
    thread: {
      id: row.thread_id,
      key: row.thread_key,
      url: row.thread_url,
      title: row.thread_title,
      locked: isLocked({ locked: row.thread_locked, created_at: row.thread_created_at }, settings, now),
    },
    body: row.body,
    email: row.author_email,
    statusReason: row.status_reason,
    parent:
      row.parent_id === null
        ? null
        : {
            id: row.parent_id,
            author: { name: row.parent_author_name ?? '' },
            excerpt: row.parent_excerpt ?? '',
          },
  };
}

export function toAdminThread(thread: ThreadRow, settings: EffectiveSettings, now: number): AdminThread {
  return {
    id: thread.id,
    siteId: thread.site_id,
    key: thread.key,
    url: thread.url,
    title: thread.title,
    locked: isLocked(thread, settings, now),
    commentCount: thread.comment_count,
    createdAt: thread.created_at,
  };
}

export function toBanView(ban: BanRow): Ban {
  return {
    id: ban.id,
    siteId: ban.site_id,
    kind: ban.kind,
    label: ban.label,
    reason: ban.reason,
    createdAt: ban.created_at,
    expiresAt: ban.expires_at,
  };
}
