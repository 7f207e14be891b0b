import SQLite from 'better-sqlite3';
import { ImportFormatError, type ImportRecord, isUrl } from '../import/records.ts';

/*
 * An Isso database: `threads` (uri, title) and `comments` (tid, parent, created in epoch seconds, mode 1 accepted,
 * 2 waiting, 4 deleted, text as typed). Isso keeps page paths, so the site's address comes from `baseUrl`.
 */

interface IssoComment {
  id: number;
  tid: number;
  parent: number | null;
  created: number;
  modified: number | null;
  mode: number;
  remote_addr: string | null;
  text: string | null;
  author: string | null;
  email: string | null;
  website: string | null;
  likes: number | null;
  dislikes: number | null;
}

const STATUS = { 1: 'approved', 2: 'pending', 4: 'deleted' } as const;

function open(path: string): SQLite.Database {
  try {
    const db = new SQLite(path, { readonly: true, fileMustExist: true });
    db.prepare('select id, uri, title from threads limit 1').all();
    db.prepare('select tid, parent, created, mode, text, author, email from comments limit 1').all();
    return db;
  } catch (error) {
    throw new ImportFormatError(
      'the file',
      `not an Isso database (${error instanceof Error ? error.message : error})`,
    );
  }
}

export async function* readIsso(path: string, baseUrl: string | undefined): AsyncGenerator<ImportRecord> {
  const db = open(path);
  try {
    const pageUrl = (uri: string) => {
      if (isUrl(uri)) return uri;
      if (!baseUrl) {
        throw new ImportFormatError(
          'the file',
          `Isso keeps page paths ("${uri}"): give the site's address with --base-url`,
        );
      }
      return new URL(uri, baseUrl).href;
    };
    for (const thread of db.prepare('select id, uri, title from threads order by id').iterate()) {
      const { id, uri, title } = thread as { id: number; uri: string; title: string | null };
      yield { kind: 'thread', ref: String(id), url: pageUrl(uri), title: title || null };
    }
    for (const row of db.prepare('select * from comments order by id').iterate()) {
      const c = row as IssoComment;
      const status = STATUS[c.mode as keyof typeof STATUS];
      if (!status) {
        yield { kind: 'invalid', where: `comment ${c.id}`, message: `mode ${c.mode} is not 1, 2 or 4` };
        continue;
      }
      if (c.website) yield { kind: 'loss', what: 'author URLs' };
      if (c.likes || c.dislikes) yield { kind: 'loss', what: 'votes and scores' };
      yield {
        kind: 'comment',
        ref: String(c.id),
        threadRef: String(c.tid),
        parentRef: c.parent ? String(c.parent) : null,
        status,
        authorName: c.author ?? '',
        authorEmail: c.email || null,
        body: c.text ?? '',
        createdAt: Math.round(c.created * 1000),
        editedAt: c.modified ? Math.round(c.modified * 1000) : null,
        isOwner: false,
        address: c.remote_addr,
      };
    }
  } finally {
    db.close();
  }
}
