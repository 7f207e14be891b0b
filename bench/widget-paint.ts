/*
 * The widget in Chromium: `npx tsx bench/widget-paint.ts [--runs N]` after `npm run build` (or `vite build`).
 *
 * Starts the Node server on a fresh database and a small blog page on another origin that embeds the widget with
 * `data-limit="200"`, then, in headless Chromium, each on a cold cache:
 * - a 200-comment thread: the time from the start of the script (embed.js received, and run at once: it is async)
 *   to the frame that painted the 200th comment, and from navigation start to that frame. The median of the runs.
 * - a 2,000-comment thread, every page loaded with "Show more": the page is then scrolled at eight places spread
 *   over it, 50 frames of 200 px at each, while a PerformanceObserver records long tasks. The longest one while
 *   scrolling must stay under 100 ms; the longest while rendering a page of 200 more is printed too.
 * Everything runs on loopback; the server and Chromium this script started are stopped at the end.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium, type Page } from 'playwright-core';
import { commentBody, NAMES, pick, seededRandom } from './comments.ts';
import { postComment } from './seed.ts';
import { startServer } from './server.ts';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' } } });
const RUNS = Number(values.runs);
const CHROMIUM = process.env.PARLEY_CHROMIUM ?? '/usr/bin/chromium';
const LONG_TASK_LIMIT_MS = 100;

/** A blog post on its own origin, embedding the widget from `parley` with 200 comments a page. */
async function startPage(parley: string): Promise<{ origin: string; server: Server }> {
  const server = createServer((request, response) => {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Bench</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body style="max-width: 44rem; margin: 0 auto; font: 17px/1.6 system-ui, sans-serif">
<main><h1>A post ${request.url}</h1><p>Some text before the comments.</p>
<section id="comments"><script src="${parley}/embed.js" async data-limit="200"></script></section></main>
</body></html>`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

/**
 * `count` comments on `url`, a third of them replies, none deeper than 4; a few posts at a time. Returns how many
 * are shown: the server holds a few for moderation (too many links).
 */
async function seed(parley: string, url: string, count: number): Promise<number> {
  const random = seededRandom(count);
  const open: string[] = [];
  let posted = 0;
  let shown = 0;
  while (posted < count) {
    const batch = Array.from({ length: Math.min(8, count - posted) }, () => {
      const parentId = open.length > 0 && random() < 0.35 ? pick(random, open) : undefined;
      return postComment(parley, { url, name: pick(random, NAMES), body: commentBody(random), parentId });
    });
    for (const comment of (await Promise.all(batch)) as Array<{
      id: string;
      depth: number;
      status?: string;
    }>) {
      posted++;
      if (comment.status === 'approved') shown++;
      // Held for moderation (too many links), a comment takes no replies yet.
      if (comment.depth < 4 && comment.status === 'approved') open.push(comment.id);
    }
  }
  return shown;
}

/** In the page before any script: long tasks and the frame that first shows `want` comments. */
const probe = (want: number) => `
  window.__longTasks = [];
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) window.__longTasks.push({ at: entry.startTime, ms: entry.duration });
  }).observe({ type: 'longtask', buffered: true });
  const count = () => {
    const host = document.querySelector('#comments > div');
    return host && host.shadowRoot ? host.shadowRoot.querySelectorAll('article').length : 0;
  };
  const watch = () => {
    if (count() >= ${want}) {
      // Shown in the frame after this one at the latest: its start is when it was on screen.
      requestAnimationFrame((painted) => { window.__painted = painted; });
      return;
    }
    requestAnimationFrame(watch);
  };
  requestAnimationFrame(watch);
`;

const median = (numbers: number[]) => {
  const sorted = [...numbers].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

async function paint200(page: Page, url: string, shown: number) {
  await page.addInitScript(probe(shown));
  await page.goto(url);
  await page.waitForFunction('window.__painted !== undefined', undefined, { timeout: 20_000 });
  return page.evaluate<{ fromScript: number; fromNavigation: number; api: number }>(`(() => {
    const script = performance.getEntriesByType('resource').find((entry) => entry.name.endsWith('/embed.js'));
    const api = performance.getEntriesByType('resource').find((entry) => entry.name.includes('/api/comments'));
    return {
      fromScript: window.__painted - script.responseEnd,
      fromNavigation: window.__painted,
      api: api.responseEnd - api.startTime,
    };
  })()`);
}

async function scroll2000(page: Page, url: string) {
  await page.addInitScript(probe(1));
  await page.goto(url);
  await page.waitForFunction('window.__painted !== undefined', undefined, { timeout: 20_000 });
  const more = page.locator('#comments > div').getByRole('button', { name: 'Show more comments' });
  // The button comes with the chunk, after the first paint.
  await more.waitFor();
  const loadStart = await page.evaluate<number>('performance.now()');
  while ((await more.count()) > 0) {
    const before = await page.evaluate<number>(
      "document.querySelector('#comments > div').shadowRoot.querySelectorAll('article').length",
    );
    await more.click();
    await page.waitForFunction(
      `document.querySelector('#comments > div').shadowRoot.querySelectorAll('article').length > ${before}`,
    );
  }
  const articles = await page.evaluate<number>(
    "document.querySelector('#comments > div').shadowRoot.querySelectorAll('article').length",
  );
  // Let the last render settle. Then, at eight places spread over the thread (reached as a scrollbar drag
  // would), scroll 50 frames of 200 px each: a fast flick of the wheel or the finger, 12,000 px a second.
  await page.waitForTimeout(500);
  const scrollStart = await page.evaluate<number>('performance.now()');
  const steps = await page.evaluate<number>(`new Promise((resolve) => {
    const frame = () => new Promise((next) => requestAnimationFrame(next));
    (async () => {
      let steps = 0;
      const end = document.documentElement.scrollHeight - innerHeight;
      for (let place = 0; place < 8; place++) {
        window.scrollTo(0, (end * place) / 8);
        await frame();
        for (let i = 0; i < 50; i++) {
          window.scrollBy(0, 200);
          steps++;
          await frame();
        }
      }
      resolve(steps);
    })();
  })`);
  // Long tasks are reported after they end: wait a moment before reading them.
  await page.waitForTimeout(300);
  const tasks = await page.evaluate<Array<{ at: number; ms: number }>>('window.__longTasks');
  const longest = (from: number, to = Number.POSITIVE_INFINITY) =>
    Math.max(0, ...tasks.filter((task) => task.at >= from && task.at < to).map((task) => task.ms));
  const during = tasks.filter((task) => task.at >= scrollStart).map((task) => Math.round(task.ms));
  return {
    during,
    articles,
    steps,
    height: await page.evaluate<number>('document.documentElement.scrollHeight'),
    scrolling: longest(scrollStart),
    loading: longest(loadStart, scrollStart),
  };
}

const dir = mkdtempSync(join(tmpdir(), 'parley-widget-bench-'));
const parley = await startServer({ databaseUrl: `file:${join(dir, 'bench.db')}` });
const blog = await startPage(parley.origin);
const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
});
try {
  const url200 = `${blog.origin}/posts/two-hundred`;
  const url2000 = `${blog.origin}/posts/two-thousand`;
  let started = Date.now();
  const shown200 = await seed(parley.origin, url200, 200);
  const shown2000 = await seed(parley.origin, url2000, 2000);
  console.log(
    `Seeded 200 and 2,000 comments (${shown200} and ${shown2000} shown, the rest held for moderation) in ` +
      `${((Date.now() - started) / 1000).toFixed(1)} s`,
  );

  const runs = [];
  for (let run = 0; run < RUNS; run++) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    runs.push(await paint200(await context.newPage(), url200, shown200));
    await context.close();
  }
  const ms = (value: number) => `${Math.round(value)} ms`;
  console.log(
    `200-comment thread, median of ${RUNS} cold runs: painted ${ms(median(runs.map((each) => each.fromScript)))} ` +
      `after embed.js arrived (${ms(median(runs.map((each) => each.fromNavigation)))} after navigation start; ` +
      `the API answered in ${ms(median(runs.map((each) => each.api)))})`,
  );
  console.log(`  each run, from the script: ${runs.map((each) => ms(each.fromScript)).join(', ')}`);

  started = Date.now();
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const big = await scroll2000(await context.newPage(), url2000);
  await context.close();
  console.log(
    `2,000-comment thread (${big.articles} comments, ${big.height} px, ${big.steps} frames of scrolling): longest task while ` +
      `scrolling ${ms(big.scrolling)} (limit ${LONG_TASK_LIMIT_MS} ms); longest while rendering a page of 200 more ` +
      `${ms(big.loading)}; ${((Date.now() - started) / 1000).toFixed(1)} s in all`,
  );
  console.log(`  long tasks while scrolling: ${big.during.join(', ') || 'none'}`);
  if (big.scrolling > LONG_TASK_LIMIT_MS) process.exitCode = 1;
} finally {
  await browser.close();
  blog.server.close();
  await parley.stop();
  rmSync(dir, { recursive: true, force: true });
}
