import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../server/ids.ts';
import { openDatabase } from '../../server/node/database.ts';
import { kyselyStore } from '../../server/store/kysely-store.ts';
import type { NewAuditRow } from '../../server/store/schema.ts';
import type { Store } from '../../server/store/store.ts';
import type { AuditEntry, AuditPage } from '../../shared/admin-schemas.ts';
import type { ApiTarget } from '../api/target.ts';
import { inProcessTarget } from '../support/in-process.ts';
import { type AdminClient, signIn } from './client.ts';

/*
 * Pages of the audit log are pages of entries, and a bulk action is one entry however many rows it wrote. Seeded
 * through the store (a bulk action of 250 through the API would take minutes): single entries around a batch
 * longer than the rows read per round trip, so that the batch straddles both a read and a page.
 */
describe('audit log pages with bulk actions larger than a page', () => {
  let dir: string;
  let store: Store;
  let target: ApiTarget;
  let admin: AdminClient;
  const START = Date.UTC(2026, 0, 1);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'parley-audit-'));
    store = kyselyStore(openDatabase(`file:${join(dir, 'parley.db')}`));
    await store.migrate();
    target = inProcessTarget(store, async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    });
    admin = await signIn(target);
  });
  afterAll(() => target?.close());

  it('keeps each batch whole, on the page where it starts, with 50 entries a page and none twice', async () => {
    const rows: NewAuditRow[] = [];
    const row = (at: number, action: string, batch: string | null): NewAuditRow => ({
      id: newId(at),
      site_id: 'default',
      actor_id: admin.session.user.id,
      actor_email: admin.session.user.email,
      action,
      target_id: `t${rows.length}`,
      before_json: null,
      after_json: null,
      created_at: at,
      batch_id: batch,
    });
    let at = START;
    for (let i = 0; i < 45; i++) rows.push(row(at++, 'comment.approve', null));
    for (let i = 0; i < 250; i++) rows.push(row(at++, 'comment.spam', 'big-batch'));
    for (let i = 0; i < 60; i++) rows.push(row(at++, 'comment.delete', null));
    for (const each of rows) await store.insertAudit(each);

    const entries: AuditEntry[] = [];
    const sizes: number[] = [];
    let cursor: string | null = null;
    do {
      const page: AuditPage = await admin.ok(
        'GET',
        `/audit?site=default${cursor ? `&cursor=${cursor}` : ''}`,
      );
      sizes.push(page.entries.length);
      entries.push(...page.entries);
      cursor = page.nextCursor;
    } while (cursor);
    const seeded = entries.filter((entry) => entry.actor.id === admin.session.user.id);
    // Newest first: 60 deletes, the batch as one entry, 45 approvals.
    expect(seeded.map((entry) => entry.action)).toEqual([
      ...Array(60).fill('comment.delete'),
      'comment.spam',
      ...Array(45).fill('comment.approve'),
    ]);
    const batch = seeded[60];
    expect(batch?.targetIds).toHaveLength(250);
    expect(batch?.targetIds[0]).toBe('t45');
    expect(new Set(entries.map((entry) => entry.id)).size).toBe(entries.length);
    expect(sizes.slice(0, -1).every((size) => size === 50)).toBe(true);
  });
});
