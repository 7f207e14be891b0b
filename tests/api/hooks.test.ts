import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MailMessage } from '../../server/mail/mailer.ts';
import { expectAdminError, signIn } from '../admin/client.ts';
import { pgAvailable } from '../support/postgres.ts';
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
