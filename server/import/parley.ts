import { z } from 'zod';
import { textLines } from './lines.ts';
import { EXPORT_FORMAT, EXPORT_VERSION } from './parley-export.ts';
import { describeIssues, ImportFormatError, type ImportRecord } from './records.ts';

/** Reads Parley's own export back (docs/export-format.md): ids, statuses, badges and HTML as they were. */

const CommentSchema = z.object({
  id: z.string(),
  site: z.string().min(1),
  thread: z.object({
    key: z.string().min(1),
    url: z.string().url(),
    title: z.string().nullable(),
    locked: z.union([z.literal(-1), z.literal(0), z.literal(1)]).default(0),
    createdAt: z.number().int().optional(),
  }),
  parentId: z.string().nullable(),
  status: z.enum(['approved', 'pending', 'spam', 'deleted']),
  statusReason: z.string().nullable().default(null),
  body: z.string(),
  html: z.string(),
  author: z.object({
    name: z.string(),
    email: z.string().nullable(),
    avatar: z.string().optional(),
    isOwner: z.boolean().default(false),
  }),
  pinned: z.boolean().default(false),
  editedByModerator: z.boolean().default(false),
  createdAt: z.number().int(),
  editedAt: z.number().int().nullable().default(null),
});

const HeadSchema = z.object({
  format: z.literal(EXPORT_FORMAT),
  version: z.number().int(),
  sites: z.array(z.object({ id: z.string().min(1), name: z.string() })).default([]),
  site: z.object({ id: z.string().min(1), name: z.string() }).optional(),
});

function parseJson(text: string, where: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ImportFormatError(
      where,
      `not JSON (${error instanceof Error ? error.message : String(error)})`,
    );
  }
}

function* siteRecords(head: z.infer<typeof HeadSchema>): Generator<ImportRecord> {
  if (head.version > EXPORT_VERSION) {
    throw new ImportFormatError(
      'line 1',
      `version ${head.version} is newer than this Parley reads (${EXPORT_VERSION})`,
    );
  }
  for (const site of head.sites.length > 0 ? head.sites : head.site ? [head.site] : []) {
    yield { kind: 'site', id: site.id, name: site.name };
  }
}

/** The records of one exported comment: its page first, the first time the page is seen. */
function* commentRecords(value: unknown, where: string, threads: Set<string>): Generator<ImportRecord> {
  const parsed = CommentSchema.safeParse(value);
  if (!parsed.success) {
    yield { kind: 'invalid', where, message: describeIssues(parsed.error) };
    return;
  }
  const c = parsed.data;
  const threadRef = `${c.site}\n${c.thread.key}`;
  if (!threads.has(threadRef)) {
    threads.add(threadRef);
    yield {
      kind: 'thread',
      ref: threadRef,
      site: c.site,
      key: c.thread.key,
      url: c.thread.url,
      title: c.thread.title,
      locked: c.thread.locked,
      ...(c.thread.createdAt !== undefined && { createdAt: c.thread.createdAt }),
    };
  }
  yield {
    kind: 'comment',
    ref: c.id,
    id: c.id,
    threadRef,
    parentRef: c.parentId,
    status: c.status,
    statusReason: c.statusReason,
    authorName: c.author.name,
    authorEmail: c.author.email,
    ...(c.author.avatar !== undefined && { avatar: c.author.avatar }),
    body: c.body,
    html: c.html,
    createdAt: c.createdAt,
    editedAt: c.editedAt,
    isOwner: c.author.isOwner,
    pinned: c.pinned,
    editedByModerator: c.editedByModerator,
  };
}

function headOf(value: unknown): z.infer<typeof HeadSchema> {
  const head = HeadSchema.safeParse(value);
  if (!head.success)
    throw new ImportFormatError('line 1', `not a Parley export (${describeIssues(head.error)})`);
  return head.data;
}

const MAX_REFORMATTED = 64 * 1024 * 1024;

/**
 * Parley's export as written (one comment per line) streams; a file reformatted by hand is read whole, up to
 * 64 MiB.
 */
export async function* readParley(chunks: AsyncIterable<string>): AsyncGenerator<ImportRecord> {
  const lines = textLines(chunks);
  const first = await lines.next();
  const headLine = first.done ? '' : first.value.line;
  if (!headLine.endsWith('"comments":[')) {
    let text = headLine;
    for await (const { line } of lines) {
      text += `\n${line}`;
      if (text.length > MAX_REFORMATTED) {
        throw new ImportFormatError('line 1', 'a reformatted export over 64 MiB: keep one comment per line');
      }
    }
    const whole = parseJson(text, 'the file') as { comments?: unknown };
    yield* siteRecords(headOf(whole));
    const threads = new Set<string>();
    const comments = Array.isArray(whole.comments) ? whole.comments : [];
    for (const [i, value] of comments.entries()) yield* commentRecords(value, `record ${i + 1}`, threads);
    return;
  }
  yield* siteRecords(headOf(parseJson(`${headLine}]}`, 'line 1')));
  const threads = new Set<string>();
  let ended = false;
  for await (const { line, number } of lines) {
    const text = line.trim();
    if (ended) {
      if (text) throw new ImportFormatError(`line ${number}`, 'text after the end of the export');
      continue;
    }
    if (text === ']}') {
      ended = true;
      continue;
    }
    if (!text) continue;
    const json = text.startsWith(',') ? text.slice(1) : text;
    let value: unknown;
    try {
      value = JSON.parse(json);
    } catch (error) {
      const message = `not JSON (${error instanceof Error ? error.message : String(error)})`;
      yield { kind: 'invalid', where: `line ${number}`, message };
      continue;
    }
    yield* commentRecords(value, `line ${number}`, threads);
  }
  if (!ended) throw new ImportFormatError('the end', 'the export is cut short (no closing "]}")');
}
