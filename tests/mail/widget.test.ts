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
import { openPost } from '../dashboard/support.ts';
import { mailLinks, type Received, type SmtpServer, startSmtp } from './smtp.ts';

/*
 * "Email me replies" and the verified mark as a reader meets them: the widget in Chromium on a blog, the real Node
 * server, and a real SMTP server on loopback.
 */
describe.runIf(chromiumAvailable)('the widget with mail on, in Chromium', () => {
  let smtp: SmtpServer;
  let parley: ParleyServer;
  let blog: Running;
  let browser: Browser;

  beforeAll(async () => {
    smtp = await startSmtp();
    parley = await startParley({
      env: {
        PARLEY_SMTP_URL: smtp.url,
        PARLEY_MAIL_FROM: 'Parley <comments@blog.example.test>',
        PARLEY_BACKGROUND_INTERVAL_MS: '200',
      },
    });
    blog = await startBlog(parley.origin);
    browser = await chromium.launch(LAUNCH_OPTIONS);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await blog?.stop();
    await parley?.stop();
    await smtp?.close();
  });

  it('keeps the thread where it was painted when the form’s chunk brings "Email me replies"', async () => {
    const url = `${blog.origin}/posts/mail-layout`;
    await fetch(`${parley.origin}/api/comments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ url, name: 'Ada', body: 'Below the form.' }),
    });
    const context = await browser.newContext();
    const page = await context.newPage();
    let release = false;
    const held: Array<() => Promise<void>> = [];
    await page.route(`${parley.origin}/w/**`, (route) =>
      release ? route.continue() : held.push(() => route.continue()),
    );
    await page.goto(url);
    const article = page.getByRole('article').first();
    await article.waitFor();
    const top = async () => Math.round((await article.boundingBox())?.y ?? 0);
    const before = await top();
    await expect.poll(() => held.length).toBeGreaterThan(0);
    release = true;
    for (const go of held.splice(0)) await go();
    await page.getByRole('checkbox', { name: 'Email me replies' }).waitFor();
    expect(Math.abs((await top()) - before)).toBeLessThanOrEqual(1);
    await context.close();
  });

  it('a ticked "Email me replies" brings a confirmation; once confirmed, that browser’s comments are verified', async () => {
    const url = `${blog.origin}/posts/mail`;
    const page = await openPost(browser, url);
    const form = page.getByRole('form', { name: 'Leave a comment' });
    await form.getByLabel('Comment').fill('Please tell me about replies');
    await form.getByLabel('Name').fill('Ada');
    const box = form.getByRole('checkbox', { name: 'Email me replies' });
    expect(await box.isChecked()).toBe(false);
    await box.check();
    // Ticked without an email: the form says where replies would go, and sends nothing.
    await form.getByRole('button', { name: 'Post comment' }).click();
    const email = form.getByRole('textbox', { name: /^Email/ });
    await form.getByText('Replies are sent to it.').waitFor();
    expect(await email.getAttribute('aria-invalid')).toBe('true');
    await email.fill('ada@example.test');
    await form.getByRole('button', { name: 'Post comment' }).click();
    await page.getByRole('article').filter({ hasText: 'Please tell me about replies' }).waitFor();

    const [mail] = await smtp.waitFor((message) => message.to === 'ada@example.test');
    const link = new URL(mailLinks(mail as Received)[0] ?? '');
    const confirmed = await fetch(`${parley.origin}${link.pathname}${link.search}`, { method: 'POST' });
    expect(confirmed.status).toBe(200);

    await form.getByLabel('Comment').fill('Back again');
    await form.getByRole('button', { name: 'Post comment' }).click();
    const again = page.getByRole('article').filter({ hasText: 'Back again' });
    await again.waitFor();
    expect(await again.getByText('verified', { exact: true }).count()).toBe(1);
    await page.reload();
    const first = page.getByRole('article').filter({ hasText: 'Please tell me about replies' });
    await first.waitFor();
    // Earlier comments stay as they were; the one after confirming keeps its mark for everyone.
    expect(await first.getByText('verified', { exact: true }).count()).toBe(0);

    const other = await openPost(browser, url);
    await other.getByRole('article').filter({ hasText: 'Back again' }).getByText('verified').waitFor();
    const otherForm = other.getByRole('form', { name: 'Leave a comment' });
    await otherForm.getByLabel('Comment').fill('From another browser');
    await otherForm.getByLabel('Name').fill('Ada');
    await otherForm.getByRole('textbox', { name: /^Email/ }).fill('ada@example.test');
    await otherForm.getByRole('button', { name: 'Post comment' }).click();
    const elsewhere = other.getByRole('article').filter({ hasText: 'From another browser' });
    await elsewhere.waitFor();
    expect(await elsewhere.getByText('verified', { exact: true }).count()).toBe(0);
    await other.context().close();
    await page.context().close();
  }, 60_000);
});
