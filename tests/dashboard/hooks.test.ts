import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  chromiumAvailable,
  LAUNCH_OPTIONS,
  type ParleyServer,
  type Running,
  startBlog,
  startParley,
} from '../browser/harness.ts';
import { type Receiver, startReceiver } from '../support/webhook-receiver.ts';
import { createOwner, dashboardOrigin, newContext, openPost, postWithWidget, signIn } from './support.ts';

const require = createRequire(import.meta.url);

/*
 * A site's feeds, webhooks and privacy requests in the dashboard, and the feed link at the foot of the widget, in
 * Chromium against the real server (dist/ as `npm run build` left it).
 */
describe.runIf(chromiumAvailable)('feeds, webhooks and privacy requests in Chromium', () => {
  let parley: ParleyServer;
  let blog: Running;
  let browser: Browser;
  let receiver: Receiver;
  let origin: string;

  beforeAll(async () => {
    [parley, receiver] = await Promise.all([
      startParley({ env: { PARLEY_WEBHOOKS_ALLOW_PRIVATE: '1' } }),
      startReceiver(),
    ]);
    blog = await startBlog(parley.origin);
    browser = await chromium.launch(LAUNCH_OPTIONS);
    origin = dashboardOrigin(parley);
    createOwner(parley);
  });

  afterAll(async () => {
    await browser?.close();
    await blog?.stop();
    await parley?.stop();
    await receiver?.close();
  });

  it('links the page’s comment feed from the foot of the widget', async () => {
    const page = await openPost(browser, `${blog.origin}/posts/feeds`);
    await postWithWidget(page, { name: 'Ada', body: 'A comment for the feed.' });
    await page.getByText('A comment for the feed.').waitFor();
    const link = page.getByRole('link', { name: 'Comments feed' });
    const href = (await link.getAttribute('href')) ?? '';
    expect(href).toContain(`${parley.origin}/api/feed.atom?`);
    expect(new URL(href).searchParams.get('url')).toBe(`${blog.origin}/posts/feeds`);
    const feed = await fetch(href);
    expect(feed.headers.get('content-type')).toContain('application/atom+xml');
    expect(await feed.text()).toContain('A comment for the feed.');
    await page.context().close();
  });

  it('adds a webhook, shows its secret once, sends a test event and shows it delivered in the log', async () => {
    // Without the page's CSP, so that the accessibility checker can be put into it.
    const context = await newContext(browser, { bypassCSP: true });
    const page = await signIn(context, origin, '/admin/sites/default');
    await page.getByRole('heading', { level: 2, name: 'Feeds' }).waitFor();
    const feedLink = page.getByRole('link', { name: 'Latest comments (Atom)' });
    expect(await feedLink.getAttribute('href')).toContain('/api/feed.atom?site=default');

    const section = page.getByRole('region', { name: 'Webhooks' });
    await section.getByLabel('URL').fill(receiver.url('/dashboard'));
    await section.getByLabel('Edited comments').check();
    await section.getByRole('button', { name: 'Add webhook' }).click();
    const secret = await section.getByLabel('Signing secret').inputValue();
    expect(secret).toMatch(/^whsec_/);
    receiver.expect('/dashboard', secret);

    await section.getByRole('button', { name: 'Send a test event' }).click();
    const log = section.getByRole('table', { name: 'Latest deliveries, newest first' });
    await log.getByRole('cell', { name: 'Delivered' }).waitFor();
    expect(await log.getByRole('cell', { name: '204' }).count()).toBe(1);
    const [got] = await receiver.waitFor('/dashboard', 1);
    expect(got?.verified).toBe(true);
    expect(JSON.parse(got?.body ?? '{}').event).toBe('ping');

    // The new sections, with the log open, as assistive technology meets them.
    await page.addScriptTag({ content: readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8') });
    const violations = await page.evaluate(async () => {
      const axe = (
        globalThis as unknown as {
          axe: {
            run(
              context: unknown,
              options: unknown,
            ): Promise<{ violations: Array<{ id: string; nodes: unknown[] }> }>;
          };
        }
      ).axe;
      const sections = ['feed-title', 'webhooks-title', 'privacy-title'].map((id) => [
        `section[aria-labelledby="${id}"]`,
      ]);
      const result = await axe.run(
        { include: sections },
        { runOnly: ['wcag2a', 'wcag2aa', 'best-practice'] },
      );
      return result.violations.map((violation) => `${violation.id} (${violation.nodes.length})`);
    });
    expect(violations).toEqual([]);

    // After a reload the secret is nowhere on the page.
    await page.reload();
    await page.getByRole('heading', { level: 2, name: 'Webhooks' }).waitFor();
    expect(await page.content()).not.toContain(secret);
    await context.close();
  });

  it('downloads and erases a commenter’s data from the site’s page', async () => {
    const post = await openPost(browser, `${blog.origin}/posts/privacy`);
    await postWithWidget(post, { name: 'Bea', email: 'bea@example.org', body: 'Please forget me.' });
    await post.getByText('Please forget me.').waitFor();
    await post.context().close();

    const context = await newContext(browser, { acceptDownloads: true });
    const page = await signIn(context, origin, '/admin/sites/default');
    const section = page.getByRole('region', { name: 'Privacy requests' });
    await section.getByLabel('Commenter’s email').fill('bea@example.org');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      section.getByRole('button', { name: 'Download their data' }).click(),
    ]);
    const path = await download.path();
    const data = JSON.parse(readFileSync(path, 'utf8')) as { comments: Array<{ body: string }> };
    expect(data.comments.map((comment) => comment.body)).toEqual(['Please forget me.']);

    await section.getByRole('button', { name: 'Erase…' }).click();
    await section.getByRole('button', { name: 'Yes, erase their comments' }).click();
    await section.getByText('Erased: 1 removed, 0 left as placeholders for replies.').waitFor();
    await context.close();
  });
});
