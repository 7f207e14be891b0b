import { execFileSync } from 'node:child_process';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import type { ParleyServer } from '../browser/harness.ts';

/** The server owner every dashboard test signs in as. */
export const OWNER = { email: 'owner@example.com', password: 'mend-the-kettle-first' };

/** A fresh dashboard build: the suite must test today's sources, not whatever `dist/admin` holds. */
export function buildDashboard(): void {
  execFileSync(
    process.execPath,
    ['node_modules/vite/bin/vite.js', 'build', '--mode', 'dashboard', '--logLevel', 'error'],
    {
      stdio: 'inherit',
    },
  );
}

/** Creates the server owner as an operator would: the CLI, with the password on standard input. */
export function createOwner(server: ParleyServer): void {
  execFileSync('node_modules/.bin/tsx', ['server/cli/parley.ts', 'admin', 'create', '--email', OWNER.email], {
    input: `${OWNER.password}\n`,
    env: { ...process.env, DATABASE_URL: server.databaseUrl },
    stdio: ['pipe', 'ignore', 'inherit'],
  });
}

/**
 * The dashboard's address. WebAuthn refuses IP addresses as relying party ids, so the dashboard is opened on
 * `localhost`; the blog stays on 127.0.0.1, another origin.
 */
export const dashboardOrigin = (server: ParleyServer) => server.origin.replace('127.0.0.1', 'localhost');

/** A browser context with its own cookies, failing fast on a stuck step. */
export async function newContext(browser: Browser, options: Parameters<Browser['newContext']>[0] = {}) {
  const context = await browser.newContext(options);
  context.setDefaultTimeout(8_000);
  return context;
}

/** Signs in with email and password from the sign-in page and waits for the overview. */
export async function signIn(context: BrowserContext, origin: string, path = '/admin/'): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${origin}${path}`);
  await page.getByLabel('Email').fill(OWNER.email);
  await page.getByLabel('Password').fill(OWNER.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByRole('navigation', { name: 'Dashboard' }).waitFor();
  return page;
}

/** Follows a link of the dashboard's navigation and waits for the page's heading. */
export async function go(page: Page, section: string, heading = section): Promise<void> {
  await page.getByRole('navigation', { name: 'Dashboard' }).getByRole('link', { name: section }).click();
  await page.getByRole('heading', { level: 1, name: heading }).waitFor();
}

/** A comment in the dashboard, found by its author's name as a screen reader would announce it. */
export const card = (scope: Page | Locator, author: string) =>
  scope.getByRole('article', { name: author, exact: true });

/** In-page code, as strings: the tests are type-checked without the DOM library. */
export const FOCUSED_ARTICLE = `(() => {
  const active = document.activeElement;
  const label = active && active.tagName === 'ARTICLE' && document.getElementById(active.getAttribute('aria-labelledby'));
  return label ? label.textContent : '';
})()`;

/** Whether the page is wider than the window, which shows a horizontal scrollbar. */
export const OVERFLOWS = 'document.documentElement.scrollWidth > window.innerWidth';

/** A reader on the blog: a fresh context opening a post and waiting for the widget. */
export async function openPost(browser: Browser, url: string): Promise<Page> {
  const context = await newContext(browser);
  const page = await context.newPage();
  await page.goto(url);
  await page.getByRole('heading', { level: 2 }).waitFor();
  return page;
}

/** Writes and posts a comment with the widget's form. */
export async function postWithWidget(page: Page, comment: { name: string; email?: string; body: string }) {
  const form = page.getByRole('form', { name: 'Leave a comment' });
  await form.getByLabel('Comment').fill(comment.body);
  await form.getByLabel('Name').fill(comment.name);
  if (comment.email) await form.getByLabel('Email').fill(comment.email);
  await form.getByRole('button', { name: 'Post comment' }).click();
  return form;
}

/** Posts through the public API, as the widget does: faster than a browser when the reader is not the point. */
export async function postWithApi(
  server: ParleyServer,
  url: string,
  name: string,
  body: string,
): Promise<string> {
  const response = await fetch(`${server.origin}/api/comments`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ url, name, body, title: 'Notes on mending things' }),
  });
  if (response.status !== 201) throw new Error(`posting failed: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { comment: { id: string } }).comment.id;
}
