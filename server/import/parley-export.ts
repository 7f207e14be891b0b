import { storedCommentView } from '../comment-view.ts';
import type { Keyset, ModComment } from '../store/moderation-store.ts';
import type { SiteRecord } from '../store/site-store.ts';
import type { Store } from '../store/store.ts';

/*
 * Parley's own export (docs/export-format.md): one JSON document, written so that each comment is one line. Any
 * JSON reader takes it whole; the importer reads it line by line, so a file of any size imports in bounded memory.
 */

export const EXPORT_FORMAT = 'parley';
export const EXPORT_VERSION = 1;
const PAGE = 500;

/** One comment as the export writes it: every field Parley keeps that means something on another server. */
export function exportedComment(row: ModComment) {
  const view = storedCommentView(row);
  return {
    id: view.id,
    site: row.thread_site_id,
    thread: {
      key: row.thread_key,
      url: row.thread_url,
      title: row.thread_title,
      locked: row.thread_locked,
      createdAt: row.thread_created_at,
    },
    parentId: view.parentId,
    status: row.status,
    statusReason: row.status_reason,
    body: row.body,
    html: view.html,
    author: {
      name: view.author.name,
      email: row.author_email,
      avatar: view.author.avatar,
      isOwner: view.isOwner,
    },
    pinned: view.pinned,
    editedByModerator: view.editedByModerator,
    createdAt: view.createdAt,
    editedAt: view.editedAt,
  };
}

export type ExportedComment = ReturnType<typeof exportedComment>;

/**
 * The export of these sites (one: `site` names it as well as `sites`), as a stream read page by page from the
 * store. A failure midway errors the stream: a download breaks off visibly instead of ending as a shorter,
 * valid-looking file.
 */
export function exportStream(
  store: Store,
  sites: readonly SiteRecord[],
  now: number,
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const named = sites.map((site) => ({ id: site.id, name: site.name }));
  let siteIndex = 0;
  let after: Keyset | undefined;
  let first = true;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      const head = {
        format: EXPORT_FORMAT,
        version: EXPORT_VERSION,
        exportedAt: now,
        ...(named.length === 1 && { site: named[0] }),
        sites: named,
      };
      controller.enqueue(encoder.encode(`${JSON.stringify(head).slice(0, -1)},"comments":[\n`));
    },
    // Each pull enqueues something or closes: a pull that enqueues nothing is not called again (Workers hang).
    async pull(controller) {
      for (;;) {
        const site = sites[siteIndex];
        if (!site) {
          controller.enqueue(encoder.encode(']}\n'));
          controller.close();
          return;
        }
        const rows = await store.listSiteComments(site.id, after, PAGE);
        const last = rows.at(-1);
        if (rows.length < PAGE || !last) {
          siteIndex += 1;
          after = undefined;
        } else {
          after = { createdAt: last.created_at, id: last.id };
        }
        if (rows.length === 0) continue;
        const lines = rows.map((row) => {
          const line = JSON.stringify(exportedComment(row));
          const text = first ? line : `,${line}`;
          first = false;
          return `${text}\n`;
        });
        controller.enqueue(encoder.encode(lines.join('')));
        return;
      }
    },
  });
}
