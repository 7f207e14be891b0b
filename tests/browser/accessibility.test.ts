import { readFileSync } from 'node:fs';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  buildDashboard,
  createOwner,
  dashboardOrigin,
  go,
  newContext,
  signIn,
} from '../dashboard/support.ts';
import { REPAIR_THREAD, seedThread } from './fixtures.ts';
import {
  chromiumAvailable,
  LAUNCH_OPTIONS,
  type ParleyServer,
  type Running,
  startBlog,
  startParley,
} from './harness.ts';

const run = chromiumAvailable;

/*
 * axe-core, run in Chromium over what readers and site owners see: the widget (inside its shadow root, which axe
 * enters) in each state it can be in, the demo page in each of its looks, and the dashboard's main screens. Every
 * WCAG 2.2 A and AA rule, and axe's best practices; zero violations.
 */

const AXE = readFileSync('node_modules/axe-core/axe.min.js', 'utf8');

interface Violation {
  id: string;
  help: string;
  nodes: Array<{ target: unknown[]; failureSummary?: string }>;
}

/** Runs axe over `selector` (with its shadow root), or the whole page; the violations, shortly described. */
async function violations(page: Page, selector?: string): Promise<string[]> {
  if (!(await page.evaluate<boolean>('typeof window.axe === "object"'))) await page.evaluate(AXE);
  const context = selector ? JSON.stringify({ include: [[selector]] }) : 'document';
  const found = await page.evaluate<Violation[]>(`axe.run(${context}, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
    resultTypes: ['violations'],
  }).then((result) => result.violations)`);
  return found.map(
    ({ id, help, nodes }) =>
      `${id}: ${help} — ${nodes.map((node) => `${JSON.stringify(node.target)} ${node.failureSummary ?? ''}`).join('; ')}`,
  );
}

describe.runIf(run)('accessibility (axe-core) in Chromium', () => {
  let parley: ParleyServer;
  let blog: Running;
  let browser: Browser;
  let context: BrowserContext | undefined;

  beforeAll(async () => {
    buildDashboard();
    parley = await startParley();
    createOwner(parley);
    blog = await startBlog(parley.origin);
    browser = await chromium.launch(LAUNCH_OPTIONS);
    await seedThread(parley.origin, `${blog.origin}/posts/axe`, REPAIR_THREAD);
    await seedThread(parley.origin, `${parley.origin}/`, REPAIR_THREAD.slice(0, 2));
  });

  afterAll(async () => {
    await browser?.close();
    await blog?.stop();
    await parley?.stop();
  });

  afterEach(async () => {
    await context?.close();
    context = undefined;
  });

  /** The widget's host on the test blog: the element right after its script. */
  const HOST = '#comments > div';

  async function open(query = '', slug = 'axe', shown = 'heading'): Promise<Page> {
    context = await newContext(browser);
    const page = await context.newPage();
    await page.goto(`${blog.origin}/posts/${slug}${query}`);
    await page
      .locator(HOST)
      .getByRole(shown === 'heading' ? 'heading' : 'alert')
      .first()
      .waitFor();
    return page;
  }

  const button = (page: Page, name: string) =>
    page.locator(HOST).getByRole('button', { name, exact: true }).first();

  it('finds nothing in a thread, its form, an error under a field, a reply form and a preview', async () => {
    const page = await open();
    // The rest of the form comes with its chunk, after the first paint.
    await button(page, 'Post comment').waitFor();
    expect(await violations(page, HOST)).toEqual([]);

    await button(page, 'Post comment').click();
    await page.getByText('Write something first.').waitFor();
    expect(await violations(page, HOST)).toEqual([]);

    await button(page, 'Reply').click();
    const reply = page.getByRole('form', { name: 'Reply to Dana Whitfield' });
    await reply.getByLabel('Comment').fill('Measure the **mica** card.');
    await reply.getByRole('button', { name: 'Preview', exact: true }).click();
    await reply.locator('strong', { hasText: 'mica' }).waitFor();
    await page.getByText('Formatting help').first().click();
    expect(await violations(page, HOST)).toEqual([]);
  });

  it('finds nothing once a comment is posted (the live notice) and while its deletion is confirmed', async () => {
    const page = await open('', 'axe-post');
    const form = page.getByRole('form', { name: 'Leave a comment' });
    await form.getByLabel('Comment').fill('Checked with axe.');
    await form.getByLabel('Name').fill('Ada');
    await button(page, 'Post comment').click();
    await page.getByText('Your comment was posted.', { exact: true }).first().waitFor();
    expect(await violations(page, HOST)).toEqual([]);

    await button(page, 'Delete').click();
    await button(page, 'Yes, delete').waitFor();
    expect(await violations(page, HOST)).toEqual([]);
  });

  it('finds nothing in the first paint alone: vote counts as text, the text field without the rest', async () => {
    context = await newContext(browser);
    const page = await context.newPage();
    // The chunks never arrive: what embed.js paints by itself is all there is.
    await page.route('**/w/*.js', (route) => route.abort());
    await page.goto(`${blog.origin}/posts/axe`);
    await page.locator(HOST).getByRole('heading').first().waitFor();
    expect(await page.locator(HOST).locator('span.v').count()).toBeGreaterThan(0);
    expect(await page.locator(HOST).getByRole('button').count()).toBe(0);
    expect(await violations(page, HOST)).toEqual([]);
  });

  it('finds nothing with a vote given, the order changed, and new comments waiting behind their notice', async () => {
    const url = `${blog.origin}/posts/axe-votes`;
    await seedThread(parley.origin, url, REPAIR_THREAD.slice(0, 2));
    const page = await open('', 'axe-votes');
    const vote = page.locator(HOST).locator('[part~="vote"]').first();
    await vote.click();
    await expect.poll(() => vote.getAttribute('aria-pressed')).toBe('true');
    await button(page, 'Most up-voted').click();
    await expect.poll(() => button(page, 'Most up-voted').getAttribute('aria-pressed')).toBe('true');
    expect(await violations(page, HOST)).toEqual([]);

    // Another reader's comment arrives over the live stream and waits behind its button.
    await seedThread(parley.origin, url, [{ name: 'Lin', body: 'Arrived while you were reading.' }]);
    await button(page, '1 new comment — show').waitFor();
    expect(await violations(page, HOST)).toEqual([]);
    await button(page, '1 new comment — show').click();
    await page.getByText('Arrived while you were reading.').waitFor();
    expect(await violations(page, HOST)).toEqual([]);
  });

  it('finds nothing right to left with a vote given, in Arabic', async () => {
    await seedThread(parley.origin, `${blog.origin}/posts/axe-rtl-votes`, REPAIR_THREAD.slice(0, 1));
    const page = await open('?lang=ar', 'axe-rtl-votes');
    const vote = page.locator(HOST).locator('[part~="vote"]').first();
    await vote.click();
    await expect.poll(() => vote.getAttribute('aria-pressed')).toBe('true');
    expect(await page.locator(HOST).locator('[part="root"]').getAttribute('dir')).toBe('rtl');
    expect(await violations(page, HOST)).toEqual([]);
  });

  it('finds nothing with a long comment folded under “Read more”, and unfolded', async () => {
    const story = Array.from({ length: 40 }, (_, at) => `Step ${at + 1}: check the **fuse** again.`);
    await seedThread(parley.origin, `${blog.origin}/posts/axe-fold`, [
      { name: 'Long', body: story.join('\n\n') },
    ]);
    const page = await open('', 'axe-fold');
    await button(page, 'Read more').waitFor();
    expect(await violations(page, HOST)).toEqual([]);
    await button(page, 'Read more').click();
    await button(page, 'Show less').waitFor();
    expect(await violations(page, HOST)).toEqual([]);
  });

  it('finds nothing when the thread cannot be loaded', async () => {
    const page = await open('?site=nowhere', 'axe-refused', 'alert');
    expect(await violations(page, HOST)).toEqual([]);
  });

  for (const [name, query] of [
    ['right to left, in Arabic', '?lang=ar'],
    ['in Hebrew', '?lang=he'],
    ['with the dark theme', '?theme=dark'],
  ] as const) {
    it(`finds nothing ${name}`, async () => {
      context = await newContext(browser);
      const page = await context.newPage();
      await page.goto(`${blog.origin}/posts/axe${query}`);
      await page.locator(`${HOST} form textarea`).waitFor();
      await page.locator(`${HOST} [part~="primary"]`).waitFor();
      if (query.startsWith('?lang=')) {
        expect(await page.locator(HOST).locator('[part="root"]').getAttribute('dir')).toBe('rtl');
      }
      expect(await violations(page, HOST)).toEqual([]);
    });
  }

  it('finds nothing on the demo page, in each of its three looks', async () => {
    context = await newContext(browser);
    const page = await context.newPage();
    await page.goto(`${parley.origin}/`);
    await page.locator('[data-parley]').getByRole('button', { name: 'Post comment' }).waitFor();
    for (const look of ['default', 'serif', 'magazine']) {
      await page.locator(`#look-${look}`).check();
      expect(await violations(page), look).toEqual([]);
    }
  });

  it('finds nothing on the dashboard’s main screens', async () => {
    context = await newContext(browser);
    const origin = dashboardOrigin(parley);
    const page = await context.newPage();
    await page.goto(`${origin}/admin/`);
    await page.getByLabel('Password').waitFor();
    expect(await violations(page), 'sign-in').toEqual([]);
    await page.close();

    const signedIn = await signIn(context, origin);
    expect(await violations(signedIn), 'overview').toEqual([]);
    for (const [section, heading] of [
      ['Queue', undefined],
      ['Comments', undefined],
      ['Sites', undefined],
      ['Audit log', undefined],
    ] as const) {
      await go(signedIn, section, heading);
      expect(await violations(signedIn), section).toEqual([]);
    }
  });
});
