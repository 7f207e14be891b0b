import { keyedHash } from '../crypto.ts';
import { ID_PATTERN } from '../ids.ts';
import { renderMarkdown } from '../markdown.ts';
import type { ImportedPlace } from '../store/import-store.ts';
import type { CommentStatus, NewComment } from '../store/schema.ts';
import type { Store } from '../store/store.ts';
import { canonicalUrl, threadKey } from '../thread-key.ts';
import { htmlToMarkdown } from './html-text.ts';
import {
  type ImportComment,
  type ImportFormat,
  ImportFormatError,
  type ImportThread,
  type RecordSource,
} from './records.ts';

/*
 * The one writer every importer feeds. It reads the source twice: first to check it whole (a malformed file
 * imports nothing) and to learn which deleted comments still hold replies, then to write in batches.
 *
 * Each comment's id is made from its original time and a hash of (site, format, original id), so a rerun, or a
 * run after one killed half-way, writes the same ids and the store skips those it has: nothing is added twice, and
 * nothing existing is ever overwritten or deleted. Ids keep sorting by time, as Parley's own do, so threads keep
 * their order.
 */

export interface ImportOptions {
  format: ImportFormat;
  /** Every comment goes to this site; without it, Parley's own export keeps its sites and others go to `default`. */
  siteId?: string;
  /** Keys the hashes of emails, addresses and avatars, as for new comments. */
  secret: string;
  now: number;
  /** Import what can be read and report the rest, instead of refusing a file with any malformed record. */
  partial?: boolean;
  batchSize?: number;
  /** Called after each batch with the comments done (written, skipped or found present) out of the total. */
  onProgress?: (done: number, total: number) => void;
}

export interface ImportReport {
  format: ImportFormat;
  sites: string[];
  /** Pages with comments in the file. */
  threads: number;
  /** Comments in the file, and what became of them. */
  comments: {
    read: number;
    added: number;
    alreadyPresent: number;
    /** Deleted on the old system with no reply left to hold: nothing to show, so not imported. */
    deletedWithoutReplies: number;
    /** Replies whose comment is not in the file: kept, as top-level comments. */
    orphans: number;
  };
  /** Comments added, by status. */
  added: Record<CommentStatus, number>;
  /** What the source had that Parley cannot keep, with how many. */
  lost: Record<string, number>;
  /** Records that could not be read (imported without them only with `partial`), the first 20. */
  invalid: Array<{ where: string; message: string }>;
  invalidCount: number;
  /** With `partial`: where reading stopped because the rest of the file could not be parsed. */
  stoppedAt?: string;
}

const CACHE_SIZE = 50_000;
const INVALID_KEPT = 20;

/**
 * A deterministic id: the time part of Parley's ids, then 7 base-36 digits of a hash of where it came from. The
 * hash needs to spread, not to resist attack (cyrb53), and a synchronous one keeps a 200 MB import from waiting on
 * hundreds of thousands of WebCrypto round trips.
 */
export function importedId(createdAt: number, siteId: string, origin: string): string {
  const text = `${siteId}\n${origin}`;
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ code, 2654435761);
    h2 = Math.imul(h2 ^ code, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  const tail = (4294967296 * (2097151 & h2) + (h1 >>> 0)) % 36 ** 7;
  return Math.max(0, createdAt).toString(36).padStart(9, '0').slice(-9) + tail.toString(36).padStart(7, '0');
}

/** A comment ready to be placed under its parent. */
interface Prepared {
  record: ImportComment;
  threadId: string;
  fields: Omit<NewComment, 'thread_id' | 'parent_id' | 'root_id' | 'path' | 'depth'> & { id: string };
}

interface Checked {
  total: number;
  threads: number;
  /** Deleted comments that some reply still needs, by source id. */
  keptDeleted: Set<string>;
  invalid: ImportReport['invalid'];
  invalidCount: number;
  lost: Record<string, number>;
  stoppedAt?: string;
}

/** The first pass: everything read and checked, nothing written. */
async function check(source: RecordSource, partial: boolean): Promise<Checked> {
  const threadRefs = new Set<string>();
  const liveParents = new Set<string>();
  const deletedParent = new Map<string, string | null>();
  const result: Checked = {
    total: 0,
    threads: 0,
    keptDeleted: new Set(),
    invalid: [],
    invalidCount: 0,
    lost: {},
  };
  const invalid = (where: string, message: string) => {
    if (!partial) throw new ImportFormatError(where, message);
    result.invalidCount += 1;
    if (result.invalid.length < INVALID_KEPT) result.invalid.push({ where, message });
  };
  let index = 0;
  try {
    for await (const record of source()) {
      index += 1;
      if (record.kind === 'invalid') invalid(record.where, record.message);
      else if (record.kind === 'loss')
        result.lost[record.what] = (result.lost[record.what] ?? 0) + (record.count ?? 1);
      else if (record.kind === 'thread') {
        if (!threadRefs.has(record.ref)) result.threads += 1;
        threadRefs.add(record.ref);
      } else if (record.kind === 'comment') {
        if (!threadRefs.has(record.threadRef)) {
          invalid(
            `record ${index}`,
            `comment ${record.ref} names a page (${record.threadRef}) the file does not have`,
          );
          continue;
        }
        if (record.id !== undefined && !ID_PATTERN.test(record.id)) {
          invalid(`record ${index}`, `"${record.id}" is not a Parley comment id`);
          continue;
        }
        result.total += 1;
        if (record.status === 'deleted') deletedParent.set(record.ref, record.parentRef);
        else if (record.parentRef) liveParents.add(record.parentRef);
      }
    }
  } catch (error) {
    if (!(partial && error instanceof ImportFormatError)) throw error;
    result.stoppedAt = error.message;
  }
  // A deleted comment stays, as a placeholder, when a reply that is not deleted hangs below it.
  for (let ref of liveParents) {
    while (deletedParent.has(ref) && !result.keptDeleted.has(ref)) {
      result.keptDeleted.add(ref);
      const up = deletedParent.get(ref);
      if (!up) break;
      ref = up;
    }
  }
  return result;
}

/**
 * Imports a source into the store and reports what came over and what could not.
 *
 * @example
 * const report = await importComments(store, () => readWxr(fileChunks(path)), { format: 'wxr', siteId: 'blog', secret, now: Date.now() });
 */
export async function importComments(
  store: Store,
  source: RecordSource,
  options: ImportOptions,
): Promise<ImportReport> {
  const { format, secret, now, partial = false, batchSize = 500 } = options;
  const checked = await check(source, partial);
  options.onProgress?.(0, checked.total);
  const report: ImportReport = {
    format,
    sites: [],
    threads: checked.threads,
    comments: { read: checked.total, added: 0, alreadyPresent: 0, deletedWithoutReplies: 0, orphans: 0 },
    added: { approved: 0, pending: 0, spam: 0, deleted: 0 },
    lost: checked.lost,
    invalid: checked.invalid,
    invalidCount: checked.invalidCount,
    ...(checked.stoppedAt && { stoppedAt: checked.stoppedAt }),
  };

  const threads = new Map<string, { id: string; siteId: string }>();
  const places = new Map<string, ImportedPlace>();
  const waiting = new Map<string, Prepared[]>();
  const sites = new Set<string>();
  let batch: ImportComment[] = [];
  let done = 0;

  const siteFor = (thread: ImportThread) => options.siteId ?? thread.site ?? 'default';
  const origin = (ref: string) => `${format}:${ref}`;

  async function ensureSite(id: string, name = id) {
    if (sites.has(id)) return;
    if (!(await store.getSite(id))) await store.insertSite({ id, name, settings: {}, now });
    sites.add(id);
    report.sites.push(id);
  }

  async function openThread(record: ImportThread) {
    const siteId = siteFor(record);
    await ensureSite(siteId);
    const key = record.key ?? threadKey(record.url);
    // An existing thread keeps its title and lock: an import never overwrites.
    const existing = await store.findThread(siteId, key);
    const thread =
      existing ??
      (await store.ensureThread({
        id: importedId(record.createdAt ?? now, siteId, `thread:${key}`),
        siteId,
        key,
        // Recorded as for a new comment's page (no query or fragment); Parley's own export has it so already.
        url: format === 'parley' ? record.url : canonicalUrl(record.url),
        title: record.title,
        now: record.createdAt ?? now,
      }));
    if (!existing && record.locked) await store.setThreadLocked(thread.id, record.locked);
    threads.set(record.ref, { id: thread.id, siteId });
  }

  const remember = (ref: string, place: ImportedPlace) => {
    places.set(ref, place);
    if (places.size > CACHE_SIZE) places.delete(places.keys().next().value as string);
  };

  // Emails, addresses and names come back again and again; each keyed hash is a WebCrypto round trip.
  const hashes = new Map<string, Promise<string>>();
  const hashOf = (data: string) => {
    let hash = hashes.get(data);
    if (!hash) {
      hash = keyedHash(secret, data);
      if (hashes.size > CACHE_SIZE) hashes.clear();
      hashes.set(data, hash);
    }
    return hash;
  };

  /** Everything of a row that does not depend on where it goes; hashing is asynchronous, so batches run it at once. */
  async function prepare(record: ImportComment): Promise<Prepared> {
    const thread = threads.get(record.threadRef);
    if (!thread) throw new Error(`No thread for ${record.threadRef}`);
    const id = record.id ?? importedId(record.createdAt, thread.siteId, origin(record.ref));
    const deleted = record.status === 'deleted';
    const email = deleted ? null : record.authorEmail?.trim().toLowerCase() || null;
    const name = deleted ? '' : record.authorName.trim();
    const [emailHash, clientHash] = await Promise.all([
      email ? hashOf(`email:${email}`) : null,
      record.address ? hashOf(`ip:${record.address}`) : '',
    ]);
    const body = deleted ? '' : record.bodyHtml === undefined ? record.body : htmlToMarkdown(record.bodyHtml);
    return {
      record,
      threadId: thread.id,
      fields: {
        id,
        status: record.status,
        status_reason: record.statusReason ?? null,
        author_name: name,
        author_email: email,
        avatar: record.avatar ?? (emailHash ?? (await hashOf(`avatar:${name || id}`))).slice(0, 6),
        client_hash: clientHash.slice(0, 32),
        body,
        html: deleted ? '' : (record.html ?? renderMarkdown(body)),
        edit_token_hash: null,
        created_at: record.createdAt,
        edited_at: record.editedAt ?? null,
        site_id: thread.siteId,
        email_hash: emailHash,
        author_user_id: null,
        is_owner: record.isOwner && !deleted ? 1 : 0,
        pinned: record.pinned && !deleted ? 1 : 0,
        edited_by_moderator: record.editedByModerator && !deleted ? 1 : 0,
      },
    };
  }

  /** Writes the batch: parents found in memory, in the store, or earlier in the batch; the rest wait for theirs. */
  async function flush(final = false) {
    const bySite = new Map<string, string[]>();
    for (const record of batch) {
      const ref = record.parentRef;
      const siteId = threads.get(record.threadRef)?.siteId;
      if (!ref || !siteId || places.has(ref)) continue;
      const list = bySite.get(siteId) ?? [];
      list.push(origin(ref));
      bySite.set(siteId, list);
    }
    for (const [siteId, origins] of bySite) {
      for (const [key, place] of await store.findImportOrigins(siteId, origins)) {
        remember(key.slice(format.length + 1), place);
      }
    }

    const rows: NewComment[] = [];
    const refs: string[] = [];
    const place = (prepared: Prepared, parent: ImportedPlace | undefined) => {
      const { record, fields, threadId } = prepared;
      const spot: ImportedPlace = {
        id: fields.id,
        thread_id: parent?.thread_id ?? threadId,
        root_id: parent?.root_id ?? fields.id,
        path: (parent?.path ?? '') + fields.id,
        depth: parent ? parent.depth + 1 : 0,
      };
      remember(record.ref, spot);
      rows.push({ ...fields, ...spot, parent_id: parent?.id ?? null });
      refs.push(record.ref);
      const children = waiting.get(record.ref);
      if (!children) return;
      waiting.delete(record.ref);
      for (const child of children) place(child, spot);
    };
    for (const prepared of await Promise.all(batch.map(prepare))) {
      const ref = prepared.record.parentRef;
      const parent = ref ? places.get(ref) : undefined;
      if (ref && !parent) {
        const siblings = waiting.get(ref) ?? [];
        siblings.push(prepared);
        waiting.set(ref, siblings);
        continue;
      }
      place(prepared, parent);
    }
    if (final) {
      for (const children of waiting.values()) {
        for (const child of children) {
          report.comments.orphans += 1;
          place(child, undefined);
        }
      }
      waiting.clear();
    }
    batch = [];
    if (rows.length === 0) return;

    const added = new Set(await store.insertImportedComments(rows));
    for (const row of rows) if (added.has(row.id)) report.added[row.status] += 1;
    report.comments.added += added.size;
    report.comments.alreadyPresent += rows.length - added.size;
    const bySiteOrigins = new Map<string, Array<{ origin: string; commentId: string }>>();
    rows.forEach((row, i) => {
      const siteId = row.site_id ?? 'default';
      const list = bySiteOrigins.get(siteId) ?? [];
      list.push({ origin: origin(refs[i] ?? ''), commentId: row.id });
      bySiteOrigins.set(siteId, list);
    });
    for (const [siteId, entries] of bySiteOrigins) await store.putImportOrigins(siteId, entries);
    await store.refreshThreads(rows.map((row) => row.thread_id));
    done += rows.length;
    options.onProgress?.(done + report.comments.deletedWithoutReplies, checked.total);
  }

  let read = 0;
  try {
    for await (const record of source()) {
      if (record.kind === 'site') await ensureSite(options.siteId ?? record.id, record.name);
      else if (record.kind === 'thread') await openThread(record);
      else if (record.kind === 'comment') {
        if (!threads.has(record.threadRef)) continue;
        if (record.id !== undefined && !ID_PATTERN.test(record.id)) continue;
        read += 1;
        if (record.status === 'deleted' && !checked.keptDeleted.has(record.ref)) {
          report.comments.deletedWithoutReplies += 1;
          continue;
        }
        batch.push(record);
        if (batch.length >= batchSize) await flush();
        if (read >= checked.total) break;
      }
    }
  } catch (error) {
    // The first pass stopped at the same place and said so; anything else is a real failure.
    if (!(partial && error instanceof ImportFormatError)) throw error;
  }
  await flush(true);
  options.onProgress?.(checked.total, checked.total);
  return report;
}
