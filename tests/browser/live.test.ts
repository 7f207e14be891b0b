import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPgSchema, pgAvailable } from '../support/postgres.ts';
import { openWorkerTarget, workerdAvailable } from '../support/workerd.ts';
import { chromiumAvailable, LAUNCH_OPTIONS, type Running, startBlog, startParley } from './harness.ts';

/*
 * Two readers on one thread, each in a browser of their own: what one posts, edits and deletes reaches the other
 * within a second, without a reload, as a "show" button that moves nothing they are reading. On each runtime:
 * one Node server on SQLite, two Node servers on one PostgreSQL (each reader on a different one), and the Worker in
 * workerd.
 */

interface Reader {
  context: BrowserContext;
  page: Page;
}

const button = (page: Page, name: string) => page.getByRole('button', { name, exact: true });
const article = (page: Page, name: string) => page.getByRole('article', { name, exact: true });

/** The thread's polite live region's text, read inside the widget's shadow root. */
const LIVE_REGION = `(() => {
  const root = [...document.querySelectorAll('*')].find((e) => e.shadowRoot).shadowRoot;
  const region = root.querySelector('[aria-live="polite"].live');
  return region ? region.textContent : null;
})()`;

/** Whether a comment by `name` is shown. */
const SHOWS = (name: string) => `(() => {
  const root = [...document.querySelectorAll('*')].find((e) => e.shadowRoot).shadowRoot;
  return [...root.querySelectorAll('article')].some((a) => a.getAttribute('aria-label') === ${JSON.stringify(name)});
})()`;

/** Where the first comment is on screen: it must not move when news arrives. */
const FIRST_COMMENT_TOP = `(() => {
  const root = [...document.querySelectorAll('*')].find((e) => e.shadowRoot).shadowRoot;
  return root.querySelector('article').getBoundingClientRect().top;
})()`;

function liveSuite(
  name: string,
  available: boolean,
  start: () => Promise<{ blogs: [Running, Running]; stop(): Promise<void> }>,
) {
  describe.runIf(chromiumAvailable && available)(`live threads in Chromium on ${name}`, () => {
    let browser: Browser;
    let blogs: [Running, Running];
    let stop: () => Promise<void> = async () => {};
    const readers: Reader[] = [];

    beforeAll(async () => {
      const started = await start();
      blogs = started.blogs;
      stop = started.stop;
      browser = await chromium.launch(LAUNCH_OPTIONS);
    }, 90_000);
    afterAll(async () => {
      for (const reader of readers) await reader.context.close();
      await browser?.close();
      await stop();
    });

    /** A reader on one of the blogs, the thread named by its page id, once its live stream is open. */
    async function open(blog: Running, pageId: string): Promise<Page> {
      const context = await browser.newContext();
      context.setDefaultTimeout(8_000);
      const page = await context.newPage();
      readers.push({ context, page });
      const streaming = page.waitForResponse((res) => res.url().includes('/api/comments/live'));
      await page.goto(`${blog.origin}/posts/live?page-id=${pageId}`);
      await page.getByRole('heading', { level: 2 }).waitFor();
      expect((await streaming).status()).toBe(200);
      return page;
    }

    async function post(page: Page, body: string, author: string) {
      const form = page.getByRole('form', { name: 'Leave a comment' });
      await form.getByLabel('Comment').fill(body);
      await form.getByLabel('Name').fill(author);
      const answered = page.waitForResponse(
        (res) => res.url().endsWith('/api/comments') && res.request().method() === 'POST',
      );
      await button(page, 'Post comment').click();
      expect((await answered).status()).toBe(201);
      return Date.now();
    }

    it("shows the second reader the first's comment within a second, then its edit and its removal", async () => {
      const pageId = `live-${Date.now().toString(36)}`;
      const first = await open(blogs[0], pageId);
      await post(first, 'The kettle is fixed.', 'Ada');
      const second = await open(blogs[1], pageId);
      await article(second, 'Ada').waitFor();
      const topBefore = Number(await second.evaluate(FIRST_COMMENT_TOP));

      const seen = button(second, '1 new comment — show')
        .waitFor()
        .then(() => Date.now());
      const posted = await post(first, 'So is the toaster.', 'Grace');
      const delay = (await seen) - posted;
      expect(delay).toBeLessThan(1000);
      console.log(`  ${name}: the other reader saw the comment ${delay} ms after the post was answered`);
      // Announced politely, and nothing the reader was reading moved.
      expect(await second.evaluate(LIVE_REGION)).toBe('1 new comment — show');
      // Within a pixel: subpixel layout may round differently once the chunks' styles are in.
      expect(Math.abs(Number(await second.evaluate(FIRST_COMMENT_TOP)) - topBefore)).toBeLessThan(1);
      expect(await article(second, 'Grace').count()).toBe(0);

      await button(second, '1 new comment — show').click();
      await article(second, 'Grace').getByText('So is the toaster.').waitFor();
      expect(await second.getByRole('heading', { level: 2 }).textContent()).toBe('2 comments');
      expect(await second.evaluate(LIVE_REGION)).toBe('');

      // Edits and removals apply in place.
      const grace = first.getByRole('article', { name: 'Grace', exact: true });
      await grace.getByRole('button', { name: 'Edit', exact: true }).click();
      const edit = first.getByRole('form', { name: 'Edit your comment' });
      await edit.getByLabel('Comment').fill('So is the toaster, mostly.');
      await button(first, 'Save changes').click();
      await article(second, 'Grace').getByText('So is the toaster, mostly.').waitFor();

      await grace.getByRole('button', { name: 'Delete', exact: true }).click();
      await grace.getByRole('button', { name: 'Yes, delete', exact: true }).click();
      await second.waitForFunction(`!${SHOWS('Grace')}`);
      expect(await second.getByRole('heading', { level: 2 }).textContent()).toBe('1 comment');
    });
  });
}

liveSuite('Node and SQLite', true, async () => {
  const parley = await startParley();
  const blog = await startBlog(parley.origin);
  return {
    blogs: [blog, blog],
    async stop() {
      await blog.stop();
      await parley.stop();
    },
  };
});

liveSuite('two Node servers on one PostgreSQL', pgAvailable, async () => {
  const schema = await openPgSchema();
  await schema.db.destroy();
  // One after the other: a second that fails to start must not leave the first running after the suite.
  const one = await startParley({ databaseUrl: schema.url });
  const two = await startParley({ databaseUrl: schema.url }).catch(async (error: unknown) => {
    await one.stop();
    throw error;
  });
  const blogs: [Running, Running] = [await startBlog(one.origin), await startBlog(two.origin)];
  return {
    blogs,
    async stop() {
      await Promise.all([...blogs, one, two].map((each) => each.stop()));
      await schema.drop();
    },
  };
});

liveSuite('the Worker in workerd', workerdAvailable, async () => {
  const worker = await openWorkerTarget();
  const blog = await startBlog(worker.origin);
  return {
    blogs: [blog, blog],
    async stop() {
      await blog.stop();
      await worker.close();
    },
  };
});
