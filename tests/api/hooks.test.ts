import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MailMessage } from '../../server/mail/mailer.ts';
import { openDatabase } from '../../server/node/database.ts';
import { kyselyStore } from '../../server/store/kysely-store.ts';
import { expectAdminError, signIn } from '../admin/client.ts';
import { inProcessTarget } from '../support/in-process.ts';
import { openPgSchema, pgAvailable } from '../support/postgres.ts';
import { openPostgresTarget, openSqliteTarget } from '../support/targets.ts';
import { type Receiver, startReceiver } from '../support/webhook-receiver.ts';
import { openWorkerTarget, workerdAvailable } from '../support/workerd.ts';
import { feedSuite, type HooksSetup, privacySuite, webhookRetrySuite, webhookSuite } from './hooks-suite.ts';
import type { ApiTarget } from './target.ts';

/*
 * Webhooks, feeds and privacy requests on every store: in-process over SQLite and PostgreSQL (with a mailer that
 * records what it is given, a clock that moves and background runs on demand), and the Worker over D1 (no mail).
 */

const ENV = { PARLEY_WEBHOOKS_ALLOW_PRIVATE: '1' };

function hooksSuites(name: string, open: (mails: MailMessage[]) => Promise<ApiTarget>, inProcess: boolean) {
  describe(`webhooks, feeds and privacy on ${name}`, () => {
    let target: ApiTarget;
    let receiver: Receiver;
    const mails: MailMessage[] = [];
    beforeAll(async () => {
      [target, receiver] = await Promise.all([open(mails), startReceiver()]);
    });
    afterAll(async () => {
      await target?.close();
      await receiver?.close();
    });
    const setup: HooksSetup = { target: () => target, receiver: () => receiver, ...(inProcess && { mails }) };
    webhookSuite(setup);
    if (inProcess) webhookRetrySuite(setup);
    feedSuite(setup);
    privacySuite(setup);
  });
}

const recording = (mails: MailMessage[]) => ({
  mailer: {
    async enqueue(message: MailMessage) {
      mails.push(message);
    },
  },
});

hooksSuites('SQLite (file)', (mails) => openSqliteTarget(ENV, recording(mails)), true);
describe.runIf(pgAvailable)('PostgreSQL', () => {
  hooksSuites('PostgreSQL', (mails) => openPostgresTarget(ENV, recording(mails)), true);
});
describe.runIf(workerdAvailable)('D1 in workerd', () => {
  hooksSuites('D1 in workerd', () => openWorkerTarget(ENV), false);
});

describe('webhook targets without PARLEY_WEBHOOKS_ALLOW_PRIVATE', () => {
  let target: ApiTarget;
  beforeAll(async () => {
    target = await openSqliteTarget();
  });
  afterAll(() => target?.close());

  it('refuses a loopback or private URL, naming the field and the setting', async () => {
    const owner = await signIn(target);
    for (const url of ['http://127.0.0.1:9/hook', 'http://169.254.169.254/', 'http://localhost/x']) {
      const res = await owner.send('POST', '/sites/default/webhooks', { url, events: ['comment.created'] });
      const body = await expectAdminError(res, 422, 'invalid_input', 'url');
      expect(body.error.fields?.url).toContain('PARLEY_WEBHOOKS_ALLOW_PRIVATE');
    }
  });
});

/** Two instances over one database, both sending what fell due at the same moment: each delivery goes once. */
function sharedDeliveriesSuite(
  name: string,
  openPair: () => Promise<[ApiTarget, ApiTarget, () => Promise<void>]>,
) {
  describe(`webhook deliveries from two instances sharing ${name}`, () => {
    let receiver: Receiver;
    let cleanup: () => Promise<void> = async () => {};
    afterAll(async () => {
      await cleanup();
      await receiver?.close();
    });

    it('sends each due delivery from one instance only', async () => {
      receiver = await startReceiver();
      const [a, b, close] = await openPair();
      cleanup = close;
      const owner = await signIn(a);
      const { secret } = await owner.ok<{ secret: string }>('POST', '/sites/default/webhooks', {
        url: receiver.url('/shared'),
        events: ['comment.created'],
      });
      receiver.expect('/shared', secret);
      const count = 12;
      receiver.failNext(count);
      for (let i = 0; i < count; i++) {
        const res = await a.request(
          '/api/comments',
          {
            method: 'POST',
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify({ url: `https://blog.example.com/shared/${i}`, body: `Comment ${i}` }),
          },
          `192.0.2.${100 + i}`,
        );
        expect(res.status).toBe(201);
      }
      await a.events?.settle();
      await receiver.waitFor('/shared', count);

      // Both instances find the same deliveries due, at once.
      for (const target of [a, b]) target.clock?.advance(30_000);
      await Promise.all([a.background?.run(), b.background?.run(), a.background?.run(), b.background?.run()]);
      const got = await receiver.waitFor('/shared', 2 * count);
      await new Promise((resolve) => setTimeout(resolve, 300));
      const perDelivery = new Map<string, number>();
      for (const each of receiver.received.filter((request) => request.path === '/shared')) {
        const id = String(each.headers['parley-delivery']);
        perDelivery.set(id, (perDelivery.get(id) ?? 0) + 1);
      }
      expect(got.every((each) => each.verified)).toBe(true);
      expect(perDelivery.size).toBe(count);
      expect([...perDelivery.values()]).toEqual(Array(count).fill(2));
    });
  });
}

sharedDeliveriesSuite('one SQLite file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'parley-hooks-'));
  const file = `file:${join(dir, 'parley.db')}`;
  const first = kyselyStore(openDatabase(file));
  await first.migrate();
  const second = kyselyStore(openDatabase(file));
  return [
    inProcessTarget(first, async () => {}, ENV),
    inProcessTarget(second, async () => {}, ENV),
    async () => {
      await Promise.all([first.close(), second.close()]);
      rmSync(dir, { recursive: true, force: true });
    },
  ];
});

describe.runIf(pgAvailable)('PostgreSQL', () => {
  sharedDeliveriesSuite('one PostgreSQL schema', async () => {
    const one = await openPgSchema();
    const two = await openPgSchema(one.schema);
    const first = kyselyStore(one.db);
    const second = kyselyStore(two.db);
    await first.migrate();
    return [
      inProcessTarget(first, async () => {}, ENV),
      inProcessTarget(second, async () => {}, ENV),
      async () => {
        await Promise.all([first.close(), second.close()]);
        await one.drop();
      },
    ];
  });
});
