import type { z } from 'zod';
import { IMPORT_FORMATS } from '../../shared/admin-schemas.ts';
import type { CommentStatus } from '../store/schema.ts';

/*
 * What every importer produces: a stream of normalized records, one writer turns them into rows. Importers parse;
 * they never touch the store.
 */

/** The formats Parley reads (listed in shared/, where the dashboard and the API's answer take them from). */
export { IMPORT_FORMATS };
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/** A page with comments. Comes before any comment that names it. */
export interface ImportThread {
  kind: 'thread';
  /** The source's own id for the page, unique within the file. */
  ref: string;
  /** The page's address; its thread key is made from it as the widget makes it. */
  url: string;
  /** Keys the thread instead of the URL (Parley's own `data-page-id`), when the source has one. */
  key?: string;
  title: string | null;
  /** The site it belongs to, in Parley's own export of every site; otherwise the site imported into. */
  site?: string;
  /** Only Parley's own export carries these. */
  locked?: -1 | 0 | 1;
  createdAt?: number;
}

/** One comment, as its source had it. */
export interface ImportComment {
  kind: 'comment';
  /** The source's own id for the comment, unique within the file. */
  ref: string;
  threadRef: string;
  parentRef: string | null;
  status: CommentStatus;
  statusReason?: string | null;
  authorName: string;
  authorEmail: string | null;
  /** Markdown, as a reader would have typed it. */
  body: string;
  /** The comment as HTML, when the source keeps that instead: turned into `body` only when written. */
  bodyHtml?: string;
  /** Rendered HTML to keep as is; when absent the body is rendered, as for a new comment. */
  html?: string;
  createdAt: number;
  editedAt?: number | null;
  /** Written by the page's own author: shown with the Author badge. */
  isOwner: boolean;
  pinned?: boolean;
  editedByModerator?: boolean;
  /** Only Parley's own export: the id to keep and the avatar seed to show. */
  id?: string;
  avatar?: string;
  /** The address it was posted from, when the source kept one: stored as a keyed hash only, as for new comments. */
  address?: string | null;
}

/** Something the source had that Parley cannot keep, counted for the report (e.g. `author URLs`). */
export interface ImportLoss {
  kind: 'loss';
  what: string;
  count?: number;
}

/** A site named by Parley's own export of everything. */
export interface ImportSite {
  kind: 'site';
  id: string;
  name: string;
}

/** A record the source has but that cannot be read; the rest of the file still can. */
export interface ImportInvalid {
  kind: 'invalid';
  where: string;
  message: string;
}

export type ImportRecord = ImportThread | ImportComment | ImportLoss | ImportSite | ImportInvalid;

/** Runs `read` for one record; a format error in it becomes an `invalid` record instead of ending the file. */
export function recordOrInvalid(read: () => ImportRecord): ImportRecord {
  try {
    return read();
  } catch (error) {
    if (!(error instanceof ImportFormatError)) throw error;
    return { kind: 'invalid', where: error.where, message: error.detail };
  }
}

/** A stream of records, read afresh on every call: the importer reads its source twice (check, then write). */
export type RecordSource = () => AsyncIterable<ImportRecord>;

/** A malformed source, with where it went wrong: `line 12` or `record 40`. */
export class ImportFormatError extends Error {
  constructor(
    readonly where: string,
    readonly detail: string,
  ) {
    super(`${where}: ${detail}`);
  }
}

/** Parses a date the source gives as text; throws a format error naming the field when it is not one. */
export function parseTime(value: string | undefined, field: string, where: string): number {
  const time = value ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(time)) throw new ImportFormatError(where, `${field} "${value ?? ''}" is not a date`);
  return time;
}

/** Whether `value` is an absolute http(s) URL, as a page address must be. */
export function isUrl(value: string): boolean {
  try {
    return /^https?:$/.test(new URL(value).protocol);
  } catch {
    return false;
  }
}

/** Every issue zod found in a record, as the import report names them. */
export const describeIssues = (error: z.ZodError): string =>
  error.issues.map((issue) => `${issue.path.join('.') || 'the record'}: ${issue.message}`).join('; ');
