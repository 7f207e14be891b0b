import { z } from 'zod';
import { describeIssues, ImportFormatError, type ImportRecord, isUrl } from './records.ts';

/*
 * A Commento (or Comentario) export: one JSON document, `{ version, comments: […], commenters: […] }`. Pages are a
 * domain and a path; top-level comments have the parent "root"; moderators are the site's owners.
 */

const CommentSchema = z.object({
  commentHex: z.string().min(1),
  domain: z.string().default(''),
  url: z.string().default(''),
  commenterHex: z.string().default('anonymous'),
  markdown: z.string().default(''),
  parentHex: z.string().default('root'),
  score: z.number().default(0),
  state: z.string().default('approved'),
  creationDate: z.string(),
  deleted: z.boolean().default(false),
});

const CommenterSchema = z.object({
  commenterHex: z.string(),
  email: z.string().default(''),
  name: z.string().default(''),
  link: z.string().default(''),
  photo: z.string().default(''),
  isModerator: z.boolean().default(false),
});

const FileSchema = z.object({ comments: z.array(z.unknown()), commenters: z.array(z.unknown()).default([]) });

const MAX_BYTES = 128 * 1024 * 1024;
const STATES = { approved: 'approved', unapproved: 'pending', flagged: 'spam' } as const;

export async function* readCommento(chunks: AsyncIterable<string>): AsyncGenerator<ImportRecord> {
  let text = '';
  for await (const chunk of chunks) {
    text += chunk;
    if (text.length > MAX_BYTES)
      throw new ImportFormatError('the file', 'over 128 MiB: too large for one JSON document');
  }
  let whole: unknown;
  try {
    whole = JSON.parse(text);
  } catch (error) {
    throw new ImportFormatError(
      'the file',
      `not JSON (${error instanceof Error ? error.message : String(error)})`,
    );
  }
  const file = FileSchema.safeParse(whole);
  if (!file.success) throw new ImportFormatError('the file', 'not a Commento export (no "comments" list)');
  const people = new Map<string, z.infer<typeof CommenterSchema>>();
  for (const value of file.data.commenters) {
    const person = CommenterSchema.safeParse(value);
    if (person.success) people.set(person.data.commenterHex, person.data);
  }
  const threads = new Set<string>();
  for (const [i, value] of file.data.comments.entries()) {
    const where = `record ${i + 1}`;
    const parsed = CommentSchema.safeParse(value);
    if (!parsed.success) {
      yield { kind: 'invalid', where, message: describeIssues(parsed.error) };
      continue;
    }
    const c = parsed.data;
    const url = `https://${c.domain}${c.url.startsWith('/') ? '' : '/'}${c.url}`;
    const createdAt = Date.parse(c.creationDate);
    const status = c.deleted ? 'deleted' : STATES[c.state as keyof typeof STATES];
    if (!isUrl(url) || !c.domain) {
      yield { kind: 'invalid', where, message: `"${c.domain}${c.url}" is not a page address` };
      continue;
    }
    if (Number.isNaN(createdAt) || !status) {
      yield {
        kind: 'invalid',
        where,
        message: Number.isNaN(createdAt) ? 'creationDate is not a date' : `state "${c.state}"`,
      };
      continue;
    }
    if (!threads.has(url)) {
      threads.add(url);
      yield { kind: 'thread', ref: url, url, title: null };
    }
    const person = people.get(c.commenterHex);
    if (c.score !== 0) yield { kind: 'loss', what: 'votes and scores' };
    if (person?.link && person.link !== 'undefined') yield { kind: 'loss', what: 'author URLs' };
    if (person?.photo && person.photo !== 'undefined') yield { kind: 'loss', what: 'avatars' };
    yield {
      kind: 'comment',
      ref: c.commentHex,
      threadRef: url,
      parentRef: c.parentHex === 'root' || !c.parentHex ? null : c.parentHex,
      status,
      authorName: person?.name || (c.commenterHex === 'anonymous' ? 'Anonymous' : ''),
      authorEmail: person?.email || null,
      body: c.markdown,
      createdAt,
      isOwner: person?.isModerator ?? false,
    };
  }
}
