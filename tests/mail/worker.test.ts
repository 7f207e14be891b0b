import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn } from '../admin/client.ts';
import { newPage, postComment } from '../admin/site-fixtures.ts';
import type { ApiTarget } from '../api/target.ts';
import { openWorkerTarget, workerdAvailable } from '../support/workerd.ts';

/*
 * Mail from the Worker inside workerd over D1: no SMTP there, so it POSTs each message as JSON to an HTTP mail API,
 * here a server of the test's own on loopback. The cron trigger's handler retries what failed.
 */

interface ApiCall {
  authorization: string | undefined;
  contentType: string | undefined;
  body: {
    from: string;
    to: string;
    subject: string;
    text: string;
    html: string;
    headers: Record<string, string>;
  };
}

async function startMailApi(statuses: number[]) {
  const calls: ApiCall[] = [];
  const read = (request: IncomingMessage) =>
    new Promise<string>((resolve) => {
      let data = '';
      request.on('data', (chunk) => {
        data += chunk;
      });
      request.on('end', () => resolve(data));
    });
  const server = createServer(async (request, response) => {
    const body = await read(request);
    calls.push({
      authorization: request.headers.authorization,
      contentType: request.headers['content-type'],
      body: JSON.parse(body) as ApiCall['body'],
    });
    response.writeHead(statuses.shift() ?? 202, { 'Content-Type': 'application/json' }).end('{"id":"x"}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1/send`,
    calls,
    async waitFor(count: number, ms = 15_000) {
      const until = Date.now() + ms;
      while (calls.length < count) {
        if (Date.now() > until) throw new Error(`${calls.length} of ${count} mail API calls within ${ms} ms`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      return calls;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe.runIf(workerdAvailable)('mail from the Worker through an HTTP mail API', () => {
  let api: Awaited<ReturnType<typeof startMailApi>>;
  let target: ApiTarget;

  beforeAll(async () => {
    // The first call fails: the message must be retried, not lost.
    api = await startMailApi([503]);
    target = await openWorkerTarget(
      {
        PARLEY_MAIL_HTTP_URL: api.url,
        PARLEY_MAIL_HTTP_KEY: 'mail-api-key',
        PARLEY_MAIL_FROM: 'Parley <comments@blog.example.test>',
        PARLEY_MAIL_RETRY_MS: '200',
        PARLEY_MAIL_BATCH_MS: '1',
      },
      { cron: true },
    );
  }, 60_000);
  afterAll(async () => {
    await target?.close();
    await api?.close();
  });

  it('sends the confirmation as a JSON POST with the bearer key, retries it from the cron trigger, and mails replies with one-click unsubscribe', async () => {
    const owner = await signIn(target);
    expect(owner.session.mail).toBe(true);
    const url = newPage();
    const reader = 'worker-reader@example.test';
    const { comment } = await postComment(target, {
      url,
      email: reader,
      body: 'Mail me',
      notify: true,
      browserKey: 'worker-browser-key-aaaaaaaaa',
    });
    const [failed] = await api.waitFor(1);
    expect(failed?.authorization).toBe('Bearer mail-api-key');
    expect(failed?.contentType).toBe('application/json');
    expect(failed?.body).toMatchObject({
      from: 'Parley <comments@blog.example.test>',
      to: reader,
      subject: 'Confirm replies by email on Default site',
      headers: {},
    });
    expect(failed?.body.html).toContain('<!doctype html>');

    // Due again 200 ms later, and no request comes: the cron trigger's handler sends it.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const cron = await target.request('/cdn-cgi/handler/scheduled?cron=*+*+*+*+*');
    expect(cron.status, await cron.clone().text()).toBe(200);
    const [, sent] = await api.waitFor(2);
    expect(sent?.body.subject).toBe(failed?.body.subject);
    expect(sent?.body.text).toBe(failed?.body.text);

    const confirm = sent?.body.text.match(/https?:\/\/\S+\/mail\/confirm\?t=[0-9a-z.]+/)?.[0] ?? '';
    const confirmed = await target.request(new URL(confirm).pathname + new URL(confirm).search, {
      method: 'POST',
      headers: { Accept: 'text/html' },
    });
    expect(confirmed.status).toBe(200);

    await postComment(target, { url, parentId: comment.id, name: 'Replier', body: 'An answer' });
    // The batch is due 1 ms after the reply: if the write's own run came too soon, the next cron run sends it.
    await new Promise((resolve) => setTimeout(resolve, 20));
    await target.request('/cdn-cgi/handler/scheduled?cron=*+*+*+*+*');
    const calls = await api.waitFor(3);
    const reply = calls.find((call) => call.body.subject === 'Replier replied to your comment');
    expect(reply?.body.to).toBe(reader);
    expect(reply?.body.headers['List-Unsubscribe']).toMatch(
      /^<https?:\/\/\S+\/mail\/unsubscribe\?t=u\.[0-9a-z.]+>$/,
    );
    expect(reply?.body.headers['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
  }, 60_000);
});
