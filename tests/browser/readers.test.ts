import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Browser, type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, LAUNCH_OPTIONS, type Running, startParley } from './harness.ts';

/*
 * Readers at full strength, in Chromium against the built server: the single-page demo (<parley-comments> following
 * its url attribute through history navigation), up-votes and the remembered order, and the count script.
 */

describe.runIf(chromiumAvailable)('single-page apps, votes and counts in Chromium', () => {
  let parley: Running;
  let browser: Browser;
  let context: BrowserContext;

  beforeAll(async () => {
    parley = await startParley();
    browser = await chromium.launch(LAUNCH_OPTIONS);
  });

  afterAll(async () => {
    await browser?.close();
    await parley?.stop();
  });

  afterEach(async () => {
    await context?.close();
  });

  async function newPage(): Promise<Page> {
    context = await browser.newContext();
    context.setDefaultTimeout(8_000);
    return context.newPage();
  }

  const heading = (page: Page) => page.getByRole('heading', { level: 2 });
  const form = (page: Page) => page.getByRole('form', { name: 'Leave a comment' });
  const button = (scope: Page | Locator, name: string) => scope.getByRole('button', { name, exact: true });

  async function post(page: Page, body: string) {
    await form(page).getByLabel('Comment').fill(body);
    await button(form(page), 'Post comment').click();
    await page.getByRole('article').getByText(body).waitFor();
  }

  /** Waits until the widget shows exactly these comment texts (and the heading that goes with them). */
  async function expectThread(page: Page, texts: string[]) {
    const words =
      texts.length === 0 ? 'No comments yet' : texts.length === 1 ? '1 comment' : `${texts.length} comments`;
    await page.getByRole('heading', { level: 2, name: words }).waitFor();
    await expect
      .poll(() =>
        page
          .getByRole('article')
          .locator('.b')
          .evaluateAll((nodes) => nodes.map((node) => node.textContent?.trim())),
      )
      .toEqual(texts);
  }

  it('keeps each post its own thread through pushState navigation, back and forward', async () => {
    const page = await newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(String(error)));
    await page.goto(`${parley.origin}/spa/kettle`);
    await expectThread(page, []);
    // Set once: a full page load would lose it.
    await page.evaluate('window.__sameDocument = true');
    await post(page, 'The kettle works again.');

    await page.getByRole('link', { name: 'The lamp' }).click();
    await page.waitForURL('**/spa/lamp');
    await expectThread(page, []);
    await post(page, 'New plug on the lamp.');

    await page.getByRole('link', { name: 'The chair' }).click();
    await expectThread(page, []);

    await page.goBack();
    await page.waitForURL('**/spa/lamp');
    await expectThread(page, ['New plug on the lamp.']);
    await page.goBack();
    await page.waitForURL('**/spa/kettle');
    await expectThread(page, ['The kettle works again.']);
    await page.goForward();
    await expectThread(page, ['New plug on the lamp.']);
    expect(await page.evaluate('window.__sameDocument')).toBe(true);
    expect(errors).toEqual([]);

    // Each thread is where it belongs for any other reader, too.
    const other = await context.newPage();
    await other.goto(`${parley.origin}/spa/kettle`);
    await expectThread(other, ['The kettle works again.']);
  });

  it('re-renders <parley-comments> when its attributes change, and parley.reload() keeps working', async () => {
    const page = await newPage();
    await page.goto(`${parley.origin}/spa/chair`);
    await expectThread(page, []);
    await post(page, 'Clamped overnight.');
    await page.evaluate(`document.querySelector('parley-comments').setAttribute('theme', 'dark')`);
    await expectThread(page, ['Clamped overnight.']);
    expect(
      await page.evaluate(`document.querySelector('parley-comments').shadowRoot.firstElementChild.className`),
    ).toMatch(/dark/);
    await page.evaluate(
      `document.querySelector('parley-comments').setAttribute('url', location.origin + '/spa/nowhere')`,
    );
    await expectThread(page, []);
    await page.evaluate(`document.querySelector('parley-comments').removeAttribute('url')`);
    // Without url it follows the address, which is still the chair's.
    await expectThread(page, ['Clamped overnight.']);
    await page.evaluate('window.parley.reload()');
    await expectThread(page, ['Clamped overnight.']);
  });

  it('votes with a pressed button, takes the vote back, and remembers the vote and the order', async () => {
    const page = await newPage();
    await page.goto(`${parley.origin}/spa/lamp`);
    await page.getByRole('heading', { level: 2, name: /comment/ }).waitFor();
    await post(page, 'A second lamp comment.');
    await post(page, 'A third lamp comment.');
    const third = page.getByRole('article').filter({ hasText: 'A third lamp comment.' });
    const vote = third.getByRole('button', { name: /^Up-vote/ });
    expect(await vote.getAttribute('aria-pressed')).toBe('false');
    expect(await vote.getAttribute('aria-label')).toBe('Up-vote: 0');
    await vote.click();
    await expect.poll(() => vote.getAttribute('aria-label')).toBe('Up-vote: 1');
    expect(await vote.getAttribute('aria-pressed')).toBe('true');

    await button(page, 'Most up-voted').click();
    await expect
      .poll(async () => (await page.getByRole('article').locator('.b').first().textContent())?.trim())
      .toBe('A third lamp comment.');
    expect(await button(page, 'Most up-voted').getAttribute('aria-pressed')).toBe('true');

    await page.reload();
    await heading(page).waitFor();
    const again = page
      .getByRole('article')
      .filter({ hasText: 'A third lamp comment.' })
      .getByRole('button', { name: /^Up-vote/ });
    await expect.poll(() => again.getAttribute('aria-pressed')).toBe('true');
    expect(await again.getAttribute('aria-label')).toBe('Up-vote: 1');
    expect(await button(page, 'Most up-voted').getAttribute('aria-pressed')).toBe('true');
    expect((await page.getByRole('article').locator('.b').first().textContent())?.trim()).toBe(
      'A third lamp comment.',
    );

    await again.click();
    await expect.poll(() => again.getAttribute('aria-label')).toBe('Up-vote: 0');
    expect(await again.getAttribute('aria-pressed')).toBe('false');
  });

  it('fills every count on an index page from one request', async () => {
    const page = await newPage();
    const asked: string[] = [];
    page.on('request', (request) => {
      if (request.url().includes('/api/counts')) asked.push(request.url());
    });
    // An index page on another origin.
    const index = createServer((request, response) => {
      // `/fr`: the script brings its own words, per plural category of its language.
      const words = request.url?.startsWith('/fr')
        ? ' data-lang="fr" data-zero="Aucun commentaire" data-one="{n} commentaire" data-other="{n} commentaires"'
        : '';
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      response.end(`<!DOCTYPE html><html lang="en"><head><title>Index</title></head><body>
          <a id="kettle" href="${parley.origin}/spa/kettle" data-parley-count>Comments</a>
          <a id="lamp" href="${parley.origin}/spa/lamp#comments" data-parley-count>Comments</a>
          <span id="chair" data-parley-count data-parley-url="${parley.origin}/spa/chair/"></span>
          <a id="none" href="${parley.origin}/spa/never" data-parley-count>Comments</a>
          <script src="${parley.origin}/count.js" async${words}></script>
        </body></html>`);
    });
    await new Promise<void>((resolve) => index.listen(0, '127.0.0.1', resolve));
    const { port } = index.address() as AddressInfo;
    await page.goto(`http://127.0.0.1:${port}/`);
    await expect.poll(() => page.locator('#none').textContent()).toBe('No comments');
    expect(await page.locator('#kettle').textContent()).toBe('1 comment');
    expect(await page.locator('#lamp').textContent()).toMatch(/^\d+ comments$/);
    expect(await page.locator('#chair').textContent()).toBe('1 comment');
    expect(asked).toHaveLength(1);

    await page.goto(`http://127.0.0.1:${port}/fr`);
    await expect.poll(() => page.locator('#none').textContent()).toBe('Aucun commentaire');
    expect(await page.locator('#kettle').textContent()).toBe('1 commentaire');
    expect(await page.locator('#lamp').textContent()).toMatch(/^\d+ commentaires$/);
    await new Promise((resolve) => index.close(resolve));
  });
});
