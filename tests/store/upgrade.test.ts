import { type Kysely, sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { newId } from '../../server/ids.ts';
import { kyselyStore } from '../../server/store/kysely-store.ts';
import { migrateUpTo } from '../../server/store/migrations.ts';
import type { Database } from '../../server/store/schema.ts';
import type { ThreadView } from '../../shared/schemas.ts';
import { inProcessTarget } from '../support/in-process.ts';
import { pgAvailable } from '../support/postgres.ts';
import { workerdAvailable } from '../support/workerd.ts';
import { type OpenedDb, openD1Db, openPgDb, openSqliteDb } from './openers.ts';

/*
 * Upgrades: a database written by an earlier release, with comments in it, migrated at start by today's server.
 * Each release is named by the last migration it shipped; its rows are written with the columns it had.
 */

const PAGE = 'https://blog.example.com/posts/written-long-ago/';
const KEY = 'blog.example.com/posts/written-long-ago';
const RELEASES = ['0001_initial', '0002_sites_accounts_moderation'] as const;

interface Written {
  id: string;
  parent?: Written;
  status: 'approved' | 'pending' | 'deleted';
  body: string;
  createdAt: number;
}

/** Rows as the release that ends with `release` wrote them: a thread, replies three deep, a placeholder, a held one. */
async function writeOldRows(db: Kysely<Database>, release: (typeof RELEASES)[number]): Promise<Written[]> {
  const threadId = newId(1_600_000_000_000);
  await sql`insert into threads (id, site_id, key, url, title, created_at)
    values (${threadId}, 'default', ${KEY}, ${PAGE}, 'Written long ago', 1600000000000)`.execute(db);
  const written: Written[] = [];
  const add = async (status: Written['status'], body: string, parent?: Written) => {
    const createdAt = 1_600_000_000_000 + written.length * 60_000;
    const comment: Written = { id: newId(createdAt), status, body, createdAt, ...(parent && { parent }) };
    const path = (parent ? pathOf(parent) : '') + comment.id;
    const html = status === 'deleted' ? '' : `<p>${body}</p>\n`;
    const rootId = parent ? pathOf(parent).slice(0, 16) : comment.id;
    const depth = path.length / 16 - 1;
    if (release === '0001_initial') {
      await sql`insert into comments (id, thread_id, parent_id, root_id, path, depth, status, author_name,
          avatar, client_hash, body, html, created_at)
        values (${comment.id}, ${threadId}, ${parent?.id ?? null}, ${rootId}, ${path}, ${depth}, ${status},
          'Grace', 'a1b2c3', 'client', ${status === 'deleted' ? '' : body}, ${html}, ${createdAt})`.execute(
        db,
      );
    } else {
      await sql`insert into comments (id, thread_id, parent_id, root_id, path, depth, status, author_name,
          avatar, client_hash, body, html, created_at, site_id, email_hash, is_owner)
        values (${comment.id}, ${threadId}, ${parent?.id ?? null}, ${rootId}, ${path}, ${depth}, ${status},
          'Grace', 'a1b2c3', 'client', ${status === 'deleted' ? '' : body}, ${html}, ${createdAt}, 'default',
          'hash', 0)`.execute(db);
    }
    written.push(comment);
    return comment;
  };
  const pathOf = (comment: Written): string => (comment.parent ? pathOf(comment.parent) : '') + comment.id;
  const first = await add('approved', 'The first comment, from the first release.');
  const reply = await add('approved', 'A reply to it.', first);
  await add('approved', 'A reply to the reply.', reply);
  const removed = await add('deleted', '');
  await add('approved', 'A reply whose parent was deleted.', removed);
  await add('pending', 'Held for moderation.');
  await sql`update threads set comment_count = 4, version = 6 where id = ${threadId}`.execute(db);
  return written;
}

function upgradeSuite(name: string, open: () => Promise<OpenedDb>) {
  describe(`upgrading a ${name} database`, () => {
    for (const release of RELEASES) {
      it(`keeps every comment written by the release that ended with ${release}`, async () => {
        const { db, close } = await open();
        const store = kyselyStore(db);
        const target = inProcessTarget(store, close);
        try {
          await migrateUpTo(db, release);
          const written = await writeOldRows(db, release);
          await store.migrate();

          const res = await target.request(`/api/comments?url=${encodeURIComponent(PAGE)}`);
          expect(res.status).toBe(200);
          const view = (await res.json()) as ThreadView;
          expect(view.thread).toMatchObject({ title: 'Written long ago', commentCount: 4 });
          const shown = written.filter((comment) => comment.status !== 'pending');
          expect(view.comments.map((c) => [c.id, c.parentId, c.status, c.createdAt])).toEqual(
            shown.map((c) => [c.id, c.parent?.id ?? null, c.status, c.createdAt]),
          );
          for (const comment of view.comments.filter((c) => c.status === 'approved')) {
            const source = written.find((w) => w.id === comment.id);
            expect(comment.html).toBe(`<p>${source?.body}</p>\n`);
            expect(comment.author.name).toBe('Grace');
          }
          // The held comment is still there for the dashboard's queue.
          const held = written.find((c) => c.status === 'pending');
          expect((await store.getComment(held?.id ?? ''))?.status).toBe('pending');
        } finally {
          await target.close();
        }
      });
    }
  });
}

upgradeSuite('SQLite', openSqliteDb);
describe.runIf(pgAvailable)('PostgreSQL', () => {
  upgradeSuite('PostgreSQL', openPgDb);
});
describe.runIf(workerdAvailable)('D1', () => {
  upgradeSuite('D1', openD1Db);
});
