import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../server/node/database.ts';
import { kyselyStore } from '../../server/store/kysely-store.ts';
import { type ParleyServer, startParley } from '../browser/harness.ts';
import { mailLinks, type SmtpServer, startSmtp } from './smtp.ts';

/*
 * The Node server as a process, twice on one SQLite file: the first queues a mail while the SMTP server is down and
 * is stopped; the second, started once the SMTP server is back, sends it from its background timer.
 */
describe('a queued mail survives a restart', () => {
  const dir = mkdtempSync(join(tmpdir(), 'parley-mail-restart-'));
  const databaseUrl = `file:${join(dir, 'parley.db')}`;
  let smtp: SmtpServer | undefined;
  const servers: ParleyServer[] = [];

  afterAll(async () => {
    for (const server of servers) await server.stop();
    await smtp?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is sent by the next server on the same database, and its link works there', {
    timeout: 90_000,
  }, async () => {
    smtp = await startSmtp();
    await smtp.down();
    const env = {
      PARLEY_SMTP_URL: smtp.url,
      PARLEY_MAIL_FROM: 'Parley <comments@blog.example.test>',
      PARLEY_MAIL_RETRY_MS: '300',
      PARLEY_BACKGROUND_INTERVAL_MS: '200',
    };
    const first = await startParley({ databaseUrl, env });
    servers.push(first);
    const post = await fetch(`${first.origin}/api/comments`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        url: 'https://blog.example.test/restart/',
        email: 'restart@example.test',
        body: 'Mail me even if you restart',
        notify: true,
      }),
    });
    expect(post.status).toBe(201);

    // Wait until the first server has tried (and failed) to send it.
    const store = kyselyStore(openDatabase(databaseUrl));
    try {
      const until = Date.now() + 15_000;
      for (;;) {
        const [row] = await store.listMail(1);
        if (row && row.attempts >= 1) {
          expect(row.sent_at).toBeNull();
          break;
        }
        if (Date.now() > until) throw new Error('the first server never tried to send');
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    } finally {
      await store.close();
    }
    await first.stop();
    servers.length = 0;

    await smtp.up();
    const second = await startParley({ databaseUrl, env });
    servers.push(second);
    const [mail] = await smtp.waitFor((message) => message.to === 'restart@example.test', 1, 30_000);
    expect(mail?.subject).toBe('Confirm replies by email on Default site');
    const [link = ''] = mailLinks(mail as NonNullable<typeof mail>);
    const confirm = new URL(link);
    const res = await fetch(`${second.origin}${confirm.pathname}${confirm.search}`, { method: 'POST' });
    expect(res.status).toBe(200);
    expect(smtp.inbox.filter((message) => message.to === 'restart@example.test')).toHaveLength(1);
  });
});
