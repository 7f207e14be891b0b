import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, LAUNCH_OPTIONS, type Running, startParley } from './harness.ts';

const run = chromiumAvailable;

describe.runIf(run)('the demo page in Chromium', () => {
  let parley: Running;
  let browser: Browser;

  beforeAll(async () => {
    parley = await startParley();
    browser = await chromium.launch(LAUNCH_OPTIONS);
  });

  afterAll(async () => {
    await browser?.close();
    await parley?.stop();
  });

  it('runs the widget under its Content-Security-Policy without a violation: read, preview and post', async () => {
    const context = await browser.newContext();
    context.setDefaultTimeout(8_000);
    const violations: string[] = [];
    await context.addInitScript(`document.addEventListener('securitypolicyviolation', (event) => {
      console.error('CSP violation: ' + event.violatedDirective + ' ' + event.blockedURI);
    });`);
    const page = await context.newPage();
    page.on('console', (message) => {
      if (/Content.Security.Policy|CSP violation|Refused to/i.test(message.text()))
        violations.push(message.text());
    });
    page.on('pageerror', (error) => violations.push(String(error)));

    const response = await page.goto(`${parley.origin}/`);
    expect(response?.headers()['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(response?.headers()['x-content-type-options']).toBe('nosniff');
    // The page's own style sheet applies: its font is not the browser's default.
    expect(await page.evaluate<string>('getComputedStyle(document.body).fontFamily')).toContain('Charter');

    const form = page.getByRole('form', { name: 'Leave a comment' });
    await form.getByLabel('Comment').fill('Works under the **policy**.');
    await form.getByRole('button', { name: 'Preview', exact: true }).click();
    await form.locator('strong', { hasText: 'policy' }).waitFor();
    await form.getByRole('button', { name: 'Write', exact: true }).click();
    await form.getByRole('button', { name: 'Post comment', exact: true }).click();
    await page.getByRole('article').locator('strong', { hasText: 'policy' }).waitFor();
    // The widget's constructed style sheet applies in its shadow root: the form's button is styled, not default.
    const styled = await page.evaluate<boolean>(`(() => {
      const host = [...document.querySelectorAll('*')].find((element) => element.shadowRoot);
      return Boolean(host && host.shadowRoot.adoptedStyleSheets.length > 0);
    })()`);
    expect(styled).toBe(true);
    expect(violations).toEqual([]);
    await context.close();
  });
});
