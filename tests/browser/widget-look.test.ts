import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { REPAIR_THREAD, seedThread } from './fixtures.ts';
import { chromiumAvailable, LAUNCH_OPTIONS, type Running, startBlog, startParley } from './harness.ts';

const run = chromiumAvailable;

/*
 * In-page code, as strings: the tests are type-checked without the DOM library. `SHADOW` is the widget's shadow
 * root; `COLOURS` measures what a reader sees: each visible text (and placeholder) against the colour actually
 * behind it, found by walking up through the shadow root to the page and blending any translucent layers, with the
 * WCAG 2.2 contrast ratio; and each field's border against what is around the field (WCAG 1.4.11).
 */
const SHADOW = "[...document.querySelectorAll('*')].find((e) => e.shadowRoot).shadowRoot";

const COLOURS = `(() => {
  const rgba = (text) => {
    const [r, g, b, a = 1] = (text.match(/[\\d.]+/g) || []).map(Number);
    if (!text.startsWith('rgb')) throw new Error('not an sRGB colour: ' + text);
    return [r, g, b, a];
  };
  const over = ([r, g, b, a], [R, G, B]) => [r * a + R * (1 - a), g * a + G * (1 - a), b * a + B * (1 - a), 1];
  const up = (e) => e.parentElement || (e.getRootNode() instanceof ShadowRoot ? e.getRootNode().host : null);
  const behind = (element) => {
    const layers = [];
    for (let e = element; e; e = up(e)) layers.push(rgba(getComputedStyle(e).backgroundColor));
    // Nothing painted at all: the white canvas of a page without a dark colour-scheme.
    return layers.reverse().reduce((below, layer) => over(layer, below), [255, 255, 255, 1]);
  };
  const luminance = ([r, g, b]) => {
    const [R, G, B] = [r, g, b].map((v) => ((v /= 255) <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
    return 0.2126 * R + 0.7152 * G + 0.0722 * B;
  };
  const ratio = (fg, bg) => {
    const [a, b] = [luminance(over(fg, bg)), luminance(bg)].sort((x, y) => y - x);
    return Math.round(((a + 0.05) / (b + 0.05)) * 100) / 100;
  };
  const shadow = ${SHADOW};
  const shown = (e) => e.getClientRects().length > 0 && e.offsetWidth > 1 && !e.closest('[aria-hidden="true"]');
  const texts = [];
  for (const e of shadow.querySelectorAll('*')) {
    if (!shown(e)) continue;
    const own = [...e.childNodes].filter((n) => n.nodeType === 3).map((n) => n.textContent.trim()).filter(Boolean).join(' ');
    if (own) texts.push({ text: own.slice(0, 40), ratio: ratio(rgba(getComputedStyle(e).color), behind(e)) });
    if (e.placeholder && !e.value) {
      const colour = rgba(getComputedStyle(e, '::placeholder').color);
      texts.push({ text: 'placeholder: ' + e.placeholder, ratio: ratio(colour, behind(e)) });
    }
  }
  const borders = [...shadow.querySelectorAll('textarea, input')].filter(shown).map((e) => ({
    field: e.labels[0] ? e.labels[0].textContent : e.name,
    ratio: ratio(rgba(getComputedStyle(e).borderTopColor), behind(up(e))),
  }));
  return { texts, borders };
})()`;

interface Colours {
  texts: Array<{ text: string; ratio: number }>;
  borders: Array<{ field: string; ratio: number }>;
}

/** Every visible button, field and disclosure in the widget, with its size. */
const TARGETS = `[...${SHADOW}.querySelectorAll('button, input, textarea, summary')]
  .filter((e) => e.getClientRects().length > 0 && e.offsetWidth > 1)
  .map((e) => ({ name: (e.textContent || e.name || e.id).trim(), width: e.offsetWidth, height: e.offsetHeight }))`;

describe.runIf(run)('how the widget looks, in Chromium', () => {
  let parley: Running;
  let blog: Running;
  let browser: Browser;
  let context: BrowserContext;

  beforeAll(async () => {
    parley = await startParley();
    blog = await startBlog(parley.origin);
    browser = await chromium.launch(LAUNCH_OPTIONS);
    await seedThread(parley.origin, `${blog.origin}/posts/look`, REPAIR_THREAD);
    await seedThread(parley.origin, `${parley.origin}/`, REPAIR_THREAD);
  });

  afterAll(async () => {
    await browser?.close();
    await blog?.stop();
    await parley?.stop();
  });

  afterEach(async () => {
    await context?.close();
  });

  async function open(query: string, viewport = { width: 1024, height: 800 }): Promise<Page> {
    context = await browser.newContext({ viewport });
    context.setDefaultTimeout(8_000);
    const page = await context.newPage();
    await page.goto(`${blog.origin}/posts/look${query}`);
    await page.getByRole('heading', { level: 2 }).waitFor();
    return page;
  }

  const button = (page: Page, name: string) => page.getByRole('button', { name, exact: true });

  /** What falls short: texts under 4.5:1, field borders under 3:1. */
  const shortfalls = async (page: Page) => {
    const { texts, borders } = await page.evaluate<Colours>(COLOURS);
    expect(texts.length).toBeGreaterThan(30);
    expect(borders.length).toBeGreaterThanOrEqual(2);
    return [...texts.filter((each) => each.ratio < 4.5), ...borders.filter((each) => each.ratio < 3)];
  };

  for (const theme of ['light', 'dark', 'auto']) {
    it(`keeps text at 4.5:1 and field borders at 3:1 with data-theme="${theme}", on a light page and a dark one`, async () => {
      const page = await open(`?theme=${theme}`);
      // Every state with colours of its own: the note after posting, an error under a field, the formatting
      // help, the delete confirmation with its destructive button.
      const form = page.getByRole('form', { name: 'Leave a comment' });
      await form.getByLabel('Comment').fill(`Looked at with the ${theme} theme.`);
      await button(page, 'Post comment').click();
      await page.getByText('Your comment was posted.', { exact: true }).first().waitFor();
      await button(page, 'Post comment').click();
      await page.getByText('Write something first.').waitFor();
      await form.getByText('Formatting help').click();
      await button(page, 'Delete').click();
      await button(page, 'Yes, delete').waitFor();
      expect(await shortfalls(page)).toEqual([]);

      // The page turns dark (the auto theme follows it a moment later).
      await page.evaluate("document.body.style.background = '#15171a'; document.body.style.color = '#eee'");
      await expect.poll(() => shortfalls(page), { timeout: 2_000 }).toEqual([]);
    });
  }

  it('keeps text at 4.5:1 and field borders at 3:1 in each look of the demo page, styled through its contract', async () => {
    context = await browser.newContext({ viewport: { width: 1024, height: 800 } });
    context.setDefaultTimeout(8_000);
    const page = await context.newPage();
    await page.goto(`${parley.origin}/`);
    const widget = page.locator('[data-parley]');
    await widget.getByRole('button', { name: 'Post comment' }).waitFor();
    await widget.getByText('Formatting help').click();
    const looks: Record<string, string> = {};
    for (const look of ['default', 'serif', 'magazine']) {
      await page.locator(`#look-${look}`).check();
      expect(await shortfalls(page), look).toEqual([]);
      // What each look changes, through custom properties and parts: the accent, the heading's face.
      looks[look] = await page.evaluate<string>(`(() => {
        const root = document.querySelector('[data-parley]').shadowRoot;
        const style = (selector) => getComputedStyle(root.querySelector(selector));
        return [style('[part~="primary"]').backgroundColor, style('[part="heading"]').fontStyle,
          style('[part="heading"]').textTransform].join(' ');
      })()`);
    }
    expect(new Set(Object.values(looks)).size).toBe(3);
    expect(looks.serif).toContain('italic');
    expect(looks.magazine).toContain('uppercase');
  });

  it('keeps a readable column for deep replies in a narrow widget, with touch-sized controls', async () => {
    // 360 px is a common phone width. The deepest reply must keep at least 260 px of text: about 40 characters
    // of a 16 px font, the shortest line that still reads as prose, and three quarters of the 344 px the page
    // leaves the widget.
    const page = await open('', { width: 360, height: 740 });
    const deepest = page.getByRole('article').filter({ hasText: 'Adding one to my list' }).last();
    const text = deepest.locator(':scope > .b');
    expect((await text.boundingBox())?.width).toBeGreaterThanOrEqual(260);
    expect(await deepest.locator(':scope > header').textContent()).toContain('replying to Tomasz');

    await page.getByText('Formatting help').click();
    await button(page, 'Reply').first().click();
    const small = (
      await page.evaluate<Array<{ name: string; width: number; height: number }>>(TARGETS)
    ).filter((each) => each.width < 44 || each.height < 44);
    expect(small).toEqual([]);

    // The widget's own width decides, not the window's: the same in a narrow column of a wide page.
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.evaluate("document.querySelector('#comments').style.width = '344px'");
    await expect.poll(async () => (await text.boundingBox())?.width ?? 0).toBeGreaterThanOrEqual(260);
    await page.evaluate("document.querySelector('#comments').style.width = ''");
    await expect.poll(async () => (await text.boundingBox())?.width ?? 0).toBeGreaterThan(600);
  });
});
