/*
 * How fast the moderation queue shows with 10,000 comments waiting: navigation start → the first page of the
 * queue painted (the dashboard's `parley:queue-rendered` mark). Seeds the comments straight into a temporary
 * SQLite file through the store, starts the real Node server on it, opens the queue in Chromium and prints the
 * figures. A script, not a test: `npx tsx bench/dashboard-queue.ts` (it builds the dashboard first).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { hashPassword } from '../server/auth/password.ts';
import { newId } from '../server/ids.ts';
import { openDatabase } from '../server/node/database.ts';
import { kyselyStore } from '../server/store/kysely-store.ts';
import type { ThreadRow } from '../server/store/schema.ts';
import { LAUNCH_OPTIONS, startParley } from '../tests/browser/harness.ts';
import { commentRow } from '../tests/support/factories.ts';

const PENDING = 10_000;
const RUNS = 11;
const OWNER = { email: 'bench@example.com', password: 'bench-password-not-for-production' };
const QUEUE_RENDERED_MARK = 'parley:queue-rendered';

const NAMES = ['Dana Whitfield', 'Tomasz', 'Mira Okafor', '', 'Jonas Berg', 'Aiyana', 'Lucía Prieto'];
const OPENINGS = [
  'I tried this on an old toaster and',
  'Quick question about the second step:',
  'Thanks — this finally explains why',
  'Be careful with the mains side;',
  'Mine had the same fault, and',
];

/** Seeds PENDING held comments over a few threads, and the owner who moderates them. */
async function seed(databaseUrl: string): Promise<void> {
  const store = kyselyStore(openDatabase(databaseUrl));
  await store.migrate();
  const now = Date.now();
  const threads: ThreadRow[] = [];
  for (let i = 0; i < 20; i++) {
    threads.push(
      await store.ensureThread({
        id: newId(now + i),
        siteId: 'default',
        key: `blog.example/posts/${i}`,
        url: `https://blog.example/posts/${i}`,
        title: `Mending notes, part ${i + 1}`,
        now,
      }),
    );
  }
  for (let i = 0; i < PENDING; i++) {
    const text = `${OPENINGS[i % OPENINGS.length]} comment number ${i} is still waiting for a moderator.`;
    const thread = threads[i % threads.length];
    if (!thread) throw new Error('no thread');
    await store.insertComment(
      commentRow(thread.id, undefined, {
        status: 'pending',
        status_reason: i % 3 ? 'first-time' : 'links',
        author_name: NAMES[i % NAMES.length] ?? '',
        author_email: i % 2 ? `reader-${i}@example.org` : null,
        avatar: (i * 2654435761).toString(16).slice(-6).padStart(6, '0'),
        body: text,
        html: `<p>${text}</p>\n`,
      }),
    );
  }
  await store.insertUser({
    id: newId(now),
    email: OWNER.email,
    name: 'Bench Owner',
    password_hash: await hashPassword(OWNER.password),
    is_admin: 1,
    created_at: now,
  });
  await store.close();
}

/**
 * Waits for the dashboard's mark. Polls from outside: `waitForFunction` would evaluate its predicate with `eval`,
 * which the dashboard's Content-Security-Policy forbids.
 */
async function waitForMark(page: Page): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (
    !(await page.evaluate<boolean>(`performance.getEntriesByName('${QUEUE_RENDERED_MARK}').length > 0`))
  ) {
    if (Date.now() > deadline) throw new Error('The queue never rendered');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

async function main() {
  execFileSync(process.execPath, [
    'node_modules/vite/bin/vite.js',
    'build',
    '--mode',
    'dashboard',
    '--logLevel',
    'error',
  ]);
  const dir = mkdtempSync(join(tmpdir(), 'parley-queue-bench-'));
  const databaseUrl = `file:${join(dir, 'parley.db')}`;
  const seeding = performance.now();
  await seed(databaseUrl);
  console.log(`Seeded ${PENDING} pending comments in ${((performance.now() - seeding) / 1000).toFixed(1)} s`);

  const server = await startParley({ databaseUrl });
  const browser = await chromium.launch(LAUNCH_OPTIONS);
  try {
    const context = await browser.newContext();
    const signIn = await context.request.post(`${server.origin}/admin/api/session`, { data: OWNER });
    if (!signIn.ok()) throw new Error(`Signing in failed: ${signIn.status()} ${await signIn.text()}`);

    const rows: Array<{ painted: number; fcp: number; api: number; articles: number }> = [];
    for (let run = 0; run < RUNS; run++) {
      const page = await context.newPage();
      await page.goto(`${server.origin}/admin/queue`);
      await waitForMark(page);
      rows.push(
        await page.evaluate<{ painted: number; fcp: number; api: number; articles: number }>(`(() => {
          const api = performance.getEntriesByType('resource').find((entry) => entry.name.includes('/admin/api/comments'));
          return {
            painted: performance.getEntriesByName('${QUEUE_RENDERED_MARK}')[0].startTime,
            fcp: (performance.getEntriesByName('first-contentful-paint')[0] || { startTime: 0 }).startTime,
            api: api ? api.responseEnd - api.requestStart : 0,
            articles: document.querySelectorAll('main article').length,
          };
        })()`),
      );
      await page.close();
    }
    console.log('\nrun  first paint  queue painted  /comments request  comments in the DOM');
    rows.forEach((row, i) => {
      console.log(
        `${String(i + 1).padStart(3)}  ${row.fcp.toFixed(0).padStart(8)} ms  ${row.painted.toFixed(0).padStart(10)} ms  ${row.api.toFixed(0).padStart(14)} ms  ${String(row.articles).padStart(19)}`,
      );
    });
    console.log(
      `\nQueue with ${PENDING} pending: time to first render ${median(rows.map((row) => row.painted)).toFixed(0)} ms ` +
        `(median of ${RUNS}; first load ${rows[0]?.painted.toFixed(0)} ms), ` +
        `${median(rows.map((row) => row.api)).toFixed(0)} ms of it the comments request.`,
    );
  } finally {
    await browser.close();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
