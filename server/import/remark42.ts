import { z } from 'zod';
import { textLines } from './lines.ts';
import { describeIssues, ImportFormatError, type ImportRecord, isUrl, parseTime } from './records.ts';

/*
 * A Remark42 backup: JSON lines, the first the site's metadata ({"version":1,"users":[…],"posts":[…]}), then one
 * comment per line with its page in `locator.url`. Remark42 keeps no emails; `user.admin` marks the site's owners.
 */

const CommentSchema = z.object({
  id: z.string().min(1),
  pid: z.string().default(''),
  text: z.string().default(''),
  orig: z.string().default(''),
  user: z.object({
    name: z.string().default(''),
    admin: z.boolean().default(false),
    picture: z.string().optional(),
  }),
  locator: z.object({ url: z.string() }),
  score: z.number().default(0),
  time: z.string(),
  edit: z.object({ time: z.string() }).optional(),
  pin: z.boolean().default(false),
  delete: z.boolean().default(false),
  title: z.string().default(''),
});

export async function* readRemark42(chunks: AsyncIterable<string>): AsyncGenerator<ImportRecord> {
  const threads = new Set<string>();
  let meta = true;
  for await (const { line, number } of textLines(chunks)) {
    const where = `line ${number}`;
    if (!line.trim()) continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      if (meta) throw new ImportFormatError(where, 'not a Remark42 backup (the first line is not JSON)');
      yield { kind: 'invalid', where, message: 'not JSON' };
      continue;
    }
    if (meta) {
      meta = false;
      if (typeof value === 'object' && value !== null && 'version' in value && !('locator' in value))
        continue;
    }
    const parsed = CommentSchema.safeParse(value);
    if (!parsed.success) {
      yield { kind: 'invalid', where, message: describeIssues(parsed.error) };
      continue;
    }
    const c = parsed.data;
    if (!isUrl(c.locator.url)) {
      yield { kind: 'invalid', where, message: `locator.url "${c.locator.url}" is not a URL` };
      continue;
    }
    if (!threads.has(c.locator.url)) {
      threads.add(c.locator.url);
      yield { kind: 'thread', ref: c.locator.url, url: c.locator.url, title: c.title || null };
    }
    if (c.score !== 0) yield { kind: 'loss', what: 'votes and scores' };
    if (c.user.picture) yield { kind: 'loss', what: 'avatars' };
    let createdAt: number;
    try {
      createdAt = parseTime(c.time, 'time', where);
    } catch (error) {
      yield {
        kind: 'invalid',
        where,
        message: error instanceof ImportFormatError ? error.detail : String(error),
      };
      continue;
    }
    yield {
      kind: 'comment',
      ref: c.id,
      threadRef: c.locator.url,
      parentRef: c.pid || null,
      status: c.delete ? 'deleted' : 'approved',
      authorName: c.user.name,
      authorEmail: null,
      body: c.orig,
      ...(!c.orig && { bodyHtml: c.text }),
      createdAt,
      editedAt: c.edit ? Date.parse(c.edit.time) || null : null,
      isOwner: c.user.admin,
      pinned: c.pin,
    };
  }
}
