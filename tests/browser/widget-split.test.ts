import { type Browser, type BrowserContext, chromium, type Route } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { REPAIR_THREAD, seedThread } from './fixtures.ts';
import { chromiumAvailable, LAUNCH_OPTIONS, type Running, startBlog, startParley } from './harness.ts';

const run = chromiumAvailable;

/** The element that has focus, through the widget's shadow root: its tag and value. */
const FOCUSED = `(() => {
  let active = document.activeElement;
  while (active && active.shadowRoot && active.shadowRoot.activeElement) active = active.shadowRoot.activeElement;
  return active ? active.tagName.toLowerCase() + ':' + (active.value || '') : '';
})()`;

describe.runIf(run)('the widget’s first paint and the chunks after it, in Chromium', () => {
  let parley: Running;
  let blog: Running;
  let browser: Browser;
  let context: BrowserContext;
  let ids: string[] = [];

  beforeAll(async () => {
    parley = await startParley();
    blog = await startBlog(parley.origin);
    browser = await chromium.launch(LAUNCH_OPTIONS);
    ids = await seedThread(parley.origin, `${blog.origin}/posts/split`, REPAIR_THREAD);
  });

  afterAll(async () => {
    await browser?.close();
    await blog?.stop();
    await parley?.stop();
  });

  afterEach(async () => {
    await context?.close();
  });

  it('paints the thread with the script and one API request, takes typing before its chunks arrive, and keeps it', async () => {
    context = await browser.newContext();
    context.setDefaultTimeout(8_000);
    const page = await context.newPage();
    const requests: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    // The chunks are held back, as on a slow connection, until the test lets them through.
    const held: Route[] = [];
    let release = false;
    await page.route(`${parley.origin}/w/**`, (route) => (release ? route.continue() : held.push(route)));

    await page.goto(`${blog.origin}/posts/split`);
    const heading = page.getByRole('heading', { level: 2 });
    await heading.waitFor();
    expect(await heading.textContent()).toBe('10 comments');
    expect(await page.getByRole('article').count()).toBe(10);
    const parleyRequests = () => requests.filter((url) => url.startsWith(parley.origin));
    expect(parleyRequests().filter((url) => !url.includes('/w/'))).toEqual([
      `${parley.origin}/embed.js`,
      expect.stringContaining(`${parley.origin}/api/comments?`),
    ]);

    // The reader starts typing at once, in the real text field.
    const form = page.getByRole('form', { name: 'Leave a comment' });
    const field = form.getByLabel('Comment');
    await field.click();
    await page.keyboard.type('Typed before');
    expect(await form.getByRole('button', { name: 'Post comment' }).count()).toBe(0);

    // Then the chunks: from the Parley server, not the blog, after the thread was painted.
    await expect.poll(() => held.length).toBeGreaterThan(0);
    for (const route of held)
      expect(route.request().url()).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/w\/[\w-]+\.js$/);
    expect(held.every((route) => route.request().url().startsWith(parley.origin))).toBe(true);
    release = true;
    for (const route of held.splice(0)) await route.continue();
    await form.getByRole('button', { name: 'Post comment' }).waitFor();
    // What was typed before is kept as a draft, as what is typed after would be.
    await page.waitForFunction(
      "Object.keys(localStorage).some((key) => key.startsWith('parley:draft:') && localStorage.getItem(key).includes('Typed before'))",
    );

    // The same element, with its text, its focus and its caret: typing goes on where it was.
    await page.keyboard.type(' the chunks.');
    expect(await page.evaluate(FOCUSED)).toBe('textarea:Typed before the chunks.');
    await form.getByLabel('Name').fill('Ada');
    await form.getByRole('button', { name: 'Post comment' }).click();
    await page.getByRole('article', { name: 'Ada' }).getByText('Typed before the chunks.').waitFor();
  });

  for (const width of [1000, 400]) {
    it(`keeps every comment’s text where it was painted when the chunks bring the vote, Reply and sort buttons (${width} px)`, async () => {
      context = await browser.newContext({ viewport: { width, height: 900 } });
      const page = await context.newPage();
      const held: Route[] = [];
      let release = false;
      await page.route(`${parley.origin}/w/**`, (route) => (release ? route.continue() : held.push(route)));
      await page.goto(`${blog.origin}/posts/split`);
      await page.getByRole('heading', { level: 2 }).waitFor();
      const bodies = page.locator('[part="body"]');
      const places = () =>
        bodies.evaluateAll((all) => all.map((body) => Math.round(body.getBoundingClientRect().top)));
      const before = await places();
      // The first paint shows each count where its button will be.
      expect(await page.locator('span.v').first().textContent()).toBe('0');
      await expect.poll(() => held.length).toBeGreaterThan(0);
      release = true;
      for (const route of held.splice(0)) await route.continue();
      await page.getByRole('button', { name: 'Up-vote: 0' }).first().waitFor();
      await page.getByRole('button', { name: 'Most up-voted' }).waitFor();
      expect(await page.locator('span.v').count()).toBe(0);
      // Within a pixel: a count and a button of the same size can round to different fractions of one.
      const after = await places();
      expect(after).toHaveLength(before.length);
      expect(Math.max(...after.map((top, at) => Math.abs(top - (before[at] ?? 0))))).toBeLessThanOrEqual(1);
    });
  }

  it('opens a permalink: loads the pages up to its comment, scrolls to it and marks it', async () => {
    context = await browser.newContext({ viewport: { width: 1024, height: 600 } });
    context.setDefaultTimeout(8_000);
    const page = await context.newPage();
    const last = ids.at(-1) ?? '';
    // Three comments a page: the last one is four pages down.
    await page.goto(`${blog.origin}/posts/split?limit=3#comment-${last}`);
    const target = page.getByRole('article', { name: 'Anonymous' });
    await expect.poll(() => target.evaluate((element) => element.classList.contains('hl'))).toBe(true);
    expect(
      await page.evaluate(`(() => {
      let active = document.activeElement;
      while (active && active.shadowRoot && active.shadowRoot.activeElement) active = active.shadowRoot.activeElement;
      return active && active.getAttribute('aria-label');
    })()`),
    ).toBe('Anonymous');
    expect(await target.isVisible()).toBe(true);
    const box = await target.boundingBox();
    expect(box && box.y >= 0 && box.y < 600).toBe(true);

    // Every comment links to itself; following another link moves the mark there.
    const first = page.getByRole('article', { name: 'Dana Whitfield' }).first();
    const link = first.locator(':scope > header [part="permalink"]');
    expect(await link.getAttribute('href')).toBe(`#comment-${ids[0]}`);
    await link.click();
    await expect.poll(() => first.evaluate((element) => element.classList.contains('hl'))).toBe(true);
    expect(await target.evaluate((element) => element.classList.contains('hl'))).toBe(false);
  });

  it('serves the chunks with CORS and a year of caching, and embed.js with revalidation', async () => {
    const script = await fetch(`${parley.origin}/embed.js`);
    expect(script.headers.get('cache-control')).toBe('public, max-age=300');
    expect(script.headers.get('etag')).toBeTruthy();
    const names = [...(await script.text()).matchAll(/new URL\("(w\/[\w.-]+\.js)"/g)].map(([, name]) => name);
    expect(names.length).toBeGreaterThanOrEqual(3);
    for (const name of names) {
      const chunk = await fetch(`${parley.origin}/${name}`, { headers: { origin: blog.origin } });
      expect(chunk.status, name).toBe(200);
      expect(chunk.headers.get('content-type')).toMatch(/^text\/javascript/);
      expect(chunk.headers.get('access-control-allow-origin')).toBe('*');
      expect(chunk.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    }
  });
});
