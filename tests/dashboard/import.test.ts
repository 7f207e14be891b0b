import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, LAUNCH_OPTIONS, type ParleyServer, startParley } from '../browser/harness.ts';
import { fixture } from '../import/support.ts';
import { buildDashboard, createOwner, dashboardOrigin, newContext, signIn } from './support.ts';

const run = chromiumAvailable;

describe.runIf(run)('importing from the dashboard in Chromium', () => {
  let parley: ParleyServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    buildDashboard();
    parley = await startParley();
    browser = await chromium.launch(LAUNCH_OPTIONS);
    createOwner(parley);
    page = await signIn(await newContext(browser), dashboardOrigin(parley));
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await parley?.stop();
  });

  it('uploads a WordPress export into a site and shows what came over, and that a second time adds nothing', async () => {
    await page.goto(`${dashboardOrigin(parley)}/admin/sites/default`);
    const section = page.getByRole('region', { name: 'Import' });
    await section.getByLabel('Export file').setInputFiles(fixture('wordpress.xml'));
    await section.getByRole('button', { name: 'Import comments' }).click();
    const report = section.getByRole('status').filter({ hasText: 'Imported' });
    await report.waitFor();
    expect(await report.textContent()).toMatch(
      /Imported 13 of 14 comments on 2 pages \(wxr\)\. 1 deleted comments without replies were left out\./,
    );
    expect(await report.textContent()).toMatch(
      /Not carried over: author URLs \(5\), pingbacks and trackbacks \(1\)\./,
    );

    await section.getByRole('button', { name: 'Import comments' }).click();
    await section.getByText(/Imported 0 of 14 comments .* 13 were already here\./).waitFor();
  }, 60_000);

  it('says why a malformed file was refused, naming its line', async () => {
    const section = page.getByRole('region', { name: 'Import' });
    await section.getByLabel('Export file').setInputFiles({
      name: 'broken.xml',
      mimeType: 'text/xml',
      buffer: Buffer.from('<?xml version="1.0"?>\n<disqus xmlns:dsq="x">\n<thread dsq:id="1">\n</disqus>\n'),
    });
    await section.getByRole('button', { name: 'Import comments' }).click();
    await section
      .getByRole('alert')
      .filter({ hasText: /^line 4: not well-formed XML/ })
      .waitFor();
  }, 30_000);
});
