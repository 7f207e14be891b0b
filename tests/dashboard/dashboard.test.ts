import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  chromiumAvailable,
  LAUNCH_OPTIONS,
  type ParleyServer,
  type Running,
  startBlog,
  startParley,
} from '../browser/harness.ts';
import {
  buildDashboard,
  card,
  createOwner,
  dashboardOrigin,
  FOCUSED_ARTICLE,
  go,
  newContext,
  OVERFLOWS,
  OWNER,
  openPost,
  postWithApi,
  postWithWidget,
  signIn,
} from './support.ts';

const run = chromiumAvailable;

describe.runIf(run)('the dashboard in Chromium, against the real server and the widget on a blog', () => {
  let parley: ParleyServer;
  let blog: Running;
  let browser: Browser;
  let origin: string;
  const contexts: BrowserContext[] = [];

  let firstRun = '';

  beforeAll(async () => {
    buildDashboard();
    parley = await startParley();
    blog = await startBlog(parley.origin);
    browser = await chromium.launch(LAUNCH_OPTIONS);
    origin = dashboardOrigin(parley);

    const fresh = await (await newContext(browser)).newPage();
    await fresh.goto(`${origin}/admin/`);
    await fresh.getByRole('heading', { level: 1, name: 'Welcome to Parley' }).waitFor();
    firstRun = (await fresh.getByRole('main').textContent()) ?? '';
    await fresh.context().close();
    createOwner(parley);

    // Every comment from here on waits for moderation: the owner sets it from the site's settings.
    const owner = await ownerPage();
    await go(owner, 'Sites');
    await owner.getByRole('link', { name: 'Default site', exact: true }).click();
    // Exact: the mail choice below has a radio named "Comments held for moderation".
    await owner.getByLabel('Moderation', { exact: true }).selectOption('all');
    await owner.getByRole('button', { name: 'Save settings' }).click();
    await owner.getByText('Settings saved.').waitFor();
  });

  afterAll(async () => {
    await browser?.close();
    await blog?.stop();
    await parley?.stop();
  });

  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((context) => context.close()));
  });

  const postUrl = (slug: string) => `${blog.origin}/posts/${slug}`;

  async function ownerPage(options: Parameters<Browser['newContext']>[0] = {}): Promise<Page> {
    const context = await newContext(browser, options);
    contexts.push(context);
    return signIn(context, origin);
  }

  async function reader(slug: string): Promise<Page> {
    const page = await openPost(browser, postUrl(slug));
    contexts.push(page.context());
    return page;
  }

  it('explains on a fresh server how to create the first owner', () => {
    expect(firstRun).toContain('npm run parley -- admin create --email you@example.com');
  });

  it('invites a moderator, who accepts with a name and a password and is signed in', async () => {
    const owner = await ownerPage();
    await go(owner, 'Sites');
    await owner.getByRole('link', { name: 'Members' }).click();
    await owner.getByRole('heading', { level: 1, name: 'Members of Default site' }).waitFor();
    await owner.getByLabel('Email').fill('moderator@example.com');
    await owner.getByLabel('Role').selectOption('moderator');
    await owner.getByRole('button', { name: 'Create invitation' }).click();
    const link = await owner.getByLabel('Invitation link').inputValue();
    expect(link).toMatch(/\/admin\/invite[#?]token=/);

    const context = await newContext(browser);
    contexts.push(context);
    const invitee = await context.newPage();
    await invitee.goto(link.replace(/^https?:\/\/[^/]+/, origin));
    await invitee.getByLabel('Your name').fill('Morgan Moderator');
    await invitee.getByLabel('Password').fill('a password of some length');
    await invitee.getByRole('button', { name: 'Accept and sign in' }).click();
    await invitee.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
    await go(invitee, 'Account');
    await invitee.getByRole('main').getByText('Morgan Moderator').waitFor();

    await owner.reload();
    await owner.getByText('moderator@example.com · Moderator').waitFor();
  });

  it('holds a reader’s comment until the owner approves it from the queue with j and a', async () => {
    const ada = await reader('held');
    await postWithWidget(ada, { name: 'Ada Lovell', body: 'Does the thermal fuse reset by itself?' });
    await ada.getByText(/awaiting (approval|moderation)/).waitFor();

    const owner = await ownerPage();
    await go(owner, 'Queue');
    const held = card(owner, 'Ada Lovell');
    await held.getByText('Does the thermal fuse reset by itself?').waitFor();
    await held.getByRole('link', { name: 'Notes on mending things' }).waitFor();

    await owner.keyboard.press('j');
    await expect.poll(() => owner.evaluate<string>(FOCUSED_ARTICLE)).toBe('Ada Lovell');
    await owner.keyboard.press('a');
    await held.waitFor({ state: 'detached' });
    await owner.getByRole('status').getByText('Approved 1 comment.').waitFor();

    const grace = await reader('held');
    await card(grace, 'Ada Lovell').getByText('Does the thermal fuse reset by itself?').waitFor();
    expect(await grace.getByText(/awaiting (approval|moderation)/).count()).toBe(0);
  });

  it('moves through the queue, keeps shortcuts out of fields, and lists them on ?', async () => {
    const url = postUrl('queue-keys');
    for (const name of ['Tomasz', 'Mira', 'Dana'])
      await postWithApi(parley, url, name, `${name} asks about crimps.`);
    const owner = await ownerPage();
    await go(owner, 'Comments');
    await owner.getByLabel('Text, name or email').fill('asks about crimps');
    await owner.keyboard.press('Enter');
    // The unfiltered list may already show these three: wait for the search's own list, not for a name, so that no
    // late re-render takes the focus away from under the keys below.
    await owner.waitForURL(/[?&]q=asks/);
    await expect.poll(() => owner.getByRole('article').count()).toBe(3);
    await card(owner, 'Tomasz').waitFor();

    // Typed into the search field, "a" is a letter, not an approval.
    await owner.getByLabel('Text, name or email').press('a');
    expect(await owner.getByLabel('Text, name or email').inputValue()).toBe('asks about crimpsa');
    expect(await owner.getByRole('status').getByText('Approved').count()).toBe(0);

    await owner.getByRole('heading', { level: 1 }).focus();
    await owner.keyboard.press('j');
    await owner.keyboard.press('j');
    await expect.poll(() => owner.evaluate<string>(FOCUSED_ARTICLE)).toBe('Mira');
    await owner.keyboard.press('k');
    await expect.poll(() => owner.evaluate<string>(FOCUSED_ARTICLE)).toBe('Dana');
    await owner.keyboard.press('x');
    expect(await card(owner, 'Dana').getByRole('checkbox').isChecked()).toBe(true);

    await owner.keyboard.press('?');
    const help = owner.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await help.getByText('Approve the comment').waitFor();
    await owner.keyboard.press('Escape');
    await help.waitFor({ state: 'hidden' });

    // Focus goes to the next comment after an action, here one that keeps it in the list (no status filter).
    await owner.keyboard.press('s');
    await owner.getByRole('status').getByText('Marked as spam: 1 comment.').waitFor();
    expect(await card(owner, 'Dana').getByRole('button', { name: 'Spam' }).count()).toBe(0);
    await expect.poll(() => owner.evaluate<string>(FOCUSED_ARTICLE)).toBe('Mira');
  });

  it('approves, marks as spam and deletes a selection in bulk', async () => {
    const url = postUrl('bulk');
    for (const name of ['Bulk One', 'Bulk Two', 'Bulk Three'])
      await postWithApi(parley, url, name, 'Buy now!');
    const owner = await ownerPage();
    await go(owner, 'Queue');
    await card(owner, 'Bulk One').waitFor();
    await card(owner, 'Bulk One').getByRole('checkbox').check();
    await card(owner, 'Bulk Two').getByRole('checkbox').check();
    const selection = owner.getByRole('group', { name: 'Selection' });
    await selection.getByRole('button', { name: 'Spam' }).click();
    await owner.getByRole('status').getByText('Marked as spam: 2 comments.').waitFor();
    expect(await card(owner, 'Bulk One').count()).toBe(0);

    await owner.getByLabel('Select all on page').check();
    expect(await owner.getByText(/^\d+ selected$/).textContent()).not.toBe('0 selected');
    await selection.getByRole('button', { name: 'Delete' }).click();
    await owner.getByText('Nothing is waiting for you.', { exact: false }).waitFor();
  });

  it('shows the owner’s reply from the dashboard with the "Author" badge in the widget', async () => {
    const url = postUrl('answered');
    await postWithApi(parley, url, 'Kettle Owner', 'Which fuse rating should I buy?');
    const owner = await ownerPage();
    await go(owner, 'Queue');
    const question = card(owner, 'Kettle Owner');
    await question.getByRole('button', { name: 'Approve' }).click();
    await question.waitFor({ state: 'detached' });

    await go(owner, 'Comments');
    await card(owner, 'Kettle Owner').getByRole('button', { name: 'Reply' }).click();
    await owner.getByLabel('Your reply to Kettle Owner').fill('The same as the old one: **10 A**.');
    await owner.getByRole('button', { name: 'Post reply' }).click();

    const page = await reader('answered');
    const reply = page.getByRole('article').filter({ hasText: 'The same as the old one' }).last();
    await reply.locator('strong', { hasText: '10 A' }).waitFor();
    await reply.getByText('Author', { exact: true }).waitFor();
  });

  it('refuses a banned commenter’s next comment with a clear message in the widget', async () => {
    const spammer = await reader('banned');
    await postWithWidget(spammer, {
      name: 'Spammy',
      email: 'spammy@example.com',
      body: 'Cheap fuses, click here.',
    });
    await spammer.getByText(/awaiting (approval|moderation)/).waitFor();

    const owner = await ownerPage();
    await go(owner, 'Queue');
    const comment = card(owner, 'Spammy');
    await comment.getByRole('button', { name: 'Ban…' }).click();
    // By email only: every reader in this suite shares one network address.
    await comment.getByLabel('By client', { exact: false }).uncheck();
    await comment.getByLabel('By email', { exact: false }).check();
    await comment.getByLabel('Reason (for other moderators)').fill('Advertising');
    await comment.getByRole('button', { name: 'Ban', exact: true }).click();
    await owner.getByRole('status').getByText('Banned Spammy (email).').waitFor();

    const form = await postWithWidget(spammer, {
      name: 'Spammy',
      email: 'spammy@example.com',
      body: 'Still cheap fuses.',
    });
    await form
      .getByRole('alert')
      .filter({ hasText: /banned|no longer comment|not allowed/i })
      .waitFor();
  });

  it('locks a thread from its page so that the widget shows no form', async () => {
    const url = postUrl('locked');
    await postWithApi(parley, url, 'Early Bird', 'First!');
    const owner = await ownerPage();
    await go(owner, 'Queue');
    await card(owner, 'Early Bird').getByRole('link', { name: 'Notes on mending things' }).click();
    await owner.getByRole('heading', { level: 1, name: 'Notes on mending things' }).waitFor();
    await owner.getByRole('button', { name: 'Lock thread' }).click();
    await owner.getByRole('button', { name: 'Unlock thread' }).waitFor();

    const page = await reader('locked');
    await page.getByText('Comments are closed on this page.').waitFor();
    expect(await page.getByRole('form', { name: 'Leave a comment' }).count()).toBe(0);
  });

  it('registers a passkey on the account page, then signs in with it', async () => {
    const owner = await ownerPage();
    const cdp = await owner.context().newCDPSession(owner);
    await cdp.send('WebAuthn.enable');
    await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: {
        protocol: 'ctap2',
        transport: 'internal',
        hasResidentKey: true,
        hasUserVerification: true,
        isUserVerified: true,
      },
    });
    await go(owner, 'Account');
    await owner.getByLabel('Passkey name').fill('Test laptop');
    await owner.getByRole('button', { name: 'Add a passkey' }).click();
    await owner.getByText('Passkey “Test laptop” added.', { exact: false }).waitFor();
    await owner.getByRole('button', { name: 'Remove Test laptop' }).waitFor();

    await owner.getByRole('button', { name: 'Sign out', exact: true }).click();
    await owner.getByRole('heading', { level: 1, name: 'Sign in to Parley' }).waitFor();
    await owner.getByRole('button', { name: 'Sign in with a passkey' }).click();
    await owner.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
  });

  it('adds no empty scroll under the overview, at desktop and at phone width', async () => {
    for (const viewport of [
      { width: 1280, height: 800 },
      { width: 360, height: 740 },
    ]) {
      const owner = await ownerPage({ viewport });
      await owner.getByRole('figure').waitFor();
      // How far the page scrolls past the end of the chart, its last visible part.
      const slack = await owner.evaluate<number>(`(() => {
        const chart = document.querySelector('figure');
        const bottom = chart.getBoundingClientRect().bottom + window.scrollY;
        return document.documentElement.scrollHeight - Math.max(bottom, window.innerHeight);
      })()`);
      expect(slack, `${viewport.width} px wide`).toBeLessThan(80);
      // The figures stay in the page for screen readers.
      await owner
        .getByRole('table', { name: 'Comments per day, last 30 days' })
        .waitFor({ state: 'attached' });
    }
  });

  it('opens a site’s settings from the list: one-line snippet, number fields in a tidy grid', async () => {
    const owner = await ownerPage({ viewport: { width: 1280, height: 800 } });
    await go(owner, 'Sites');
    await owner.getByRole('link', { name: 'Settings of Default site' }).click();
    const heading = owner.getByRole('heading', { level: 2, name: 'Settings' });
    await heading.waitFor();
    await expect.poll(() => heading.evaluate((h) => h.getBoundingClientRect().top)).toBeLessThan(800);
    const snippet = owner.getByLabel('Snippet');
    expect(await snippet.evaluate((box) => box.tagName)).toBe('INPUT');
    expect(await snippet.inputValue()).toMatch(
      /^<script src="[^"]+\/embed\.js" data-site="default" async><\/script>$/,
    );
    const boxes = (await Promise.all(
      [
        'Edit window (minutes)',
        'Close threads after (days)',
        'Deepest reply',
        'Links before a comment is held',
      ].map((label) => owner.getByLabel(label).evaluate((box) => box.getBoundingClientRect().toJSON())),
    )) as Array<{ top: number; width: number }>;
    // Boxes in one row line up, and are as wide as a number needs, not the whole column.
    const rows = new Set(boxes.map((box) => Math.round(box.top)));
    expect(rows.size).toBeLessThan(boxes.length);
    for (const box of boxes) expect(box.width).toBeLessThan(200);
  });

  it('says on a site’s page that mail is off, and keeps the member’s mail choice', async () => {
    const owner = await ownerPage();
    await owner.goto(`${origin}/admin/sites/default`);
    const section = owner.getByRole('region', { name: 'Email notifications' });
    await section.getByText('Mail is off').waitFor();
    const held = section.getByRole('radio', { name: 'Comments held for moderation' });
    expect(await held.isChecked()).toBe(true);
    await section.getByRole('radio', { name: 'Every new comment' }).check();
    await section.getByText('Saved.').waitFor();
    await owner.reload();
    await owner.getByRole('radio', { name: 'Every new comment' }).waitFor();
    expect(await owner.getByRole('radio', { name: 'Every new comment' }).isChecked()).toBe(true);
    await owner.getByRole('radio', { name: 'Comments held for moderation' }).check();
    await owner.getByText('Saved.').waitFor();
  });

  it('lists members by role and pending invitations, and revokes one', async () => {
    const owner = await ownerPage();
    await go(owner, 'Sites');
    await owner.getByRole('link', { name: 'Members of Default site' }).click();
    await owner.getByRole('heading', { level: 1, name: 'Members of Default site' }).waitFor();
    await owner.getByLabel('Email').fill('later@example.com');
    await owner.getByRole('button', { name: 'Create invitation' }).click();
    const waiting = owner.getByRole('region', { name: 'Invitations waiting' });
    await waiting.getByText('later@example.com', { exact: true }).waitFor();
    await waiting.getByRole('button', { name: 'Revoke the invitation of later@example.com' }).click();
    await waiting.getByText('later@example.com', { exact: true }).waitFor({ state: 'detached' });
    await owner.reload();
    await owner.getByRole('heading', { level: 2, name: 'Owners' }).waitFor();
    expect(await waiting.getByText('later@example.com', { exact: true }).count()).toBe(0);
  });

  it('signs the owner’s replies with the public name set on the account page', async () => {
    const url = postUrl('named');
    await postWithApi(parley, url, 'Curious Reader', 'Who answers here?');
    const owner = await ownerPage();
    await go(owner, 'Account');
    await owner.getByLabel('Your name').fill('Olive Owner');
    await owner.getByRole('button', { name: 'Save name' }).click();
    await owner.getByText('Name saved.').waitFor();
    await go(owner, 'Queue');
    await card(owner, 'Curious Reader').getByRole('button', { name: 'Approve' }).click();
    await card(owner, 'Curious Reader').waitFor({ state: 'detached' });
    await go(owner, 'Comments');
    await card(owner, 'Curious Reader').getByRole('button', { name: 'Reply' }).click();
    await owner.getByLabel('Your reply to Curious Reader').fill('The owner does.');
    await owner.getByRole('button', { name: 'Post reply' }).click();
    const page = await reader('named');
    await card(page, 'Olive Owner').getByText('The owner does.').waitFor();
  });

  it('bans for a day and deletes the commenter’s comments in one step', async () => {
    for (const body of ['Visit my shop.', 'Visit it again.']) {
      const response = await fetch(`${parley.origin}/api/comments`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ url: postUrl('flooded'), name: 'Flood', email: 'flood@example.com', body }),
      });
      expect(response.status).toBe(201);
    }
    const owner = await ownerPage();
    await go(owner, 'Queue');
    const comment = card(owner, 'Flood').first();
    await comment.getByRole('button', { name: 'Ban…' }).click();
    await comment.getByLabel('By client', { exact: false }).uncheck();
    await comment.getByLabel('By email', { exact: false }).check();
    await comment.getByLabel('How long').selectOption('day');
    await comment.getByLabel('Also delete their comments on this site').check();
    await comment.getByRole('button', { name: 'Ban and delete' }).click();
    await owner
      .getByRole('status')
      .getByText(/^Banned Flood \(email\) until .+ and deleted 2 comments\.$/)
      .waitFor();
    expect(await card(owner, 'Flood').count()).toBe(0);
    await go(owner, 'Sites');
    await owner.getByRole('link', { name: 'Default site', exact: true }).click();
    await owner.getByRole('region', { name: 'Bans' }).getByText(/until/).first().waitFor();
  });

  it('renames a page from its thread, and the audit log names people, pages and comments', async () => {
    const url = postUrl('renamed');
    await postWithApi(parley, url, 'Title Reader', 'Nice notes.');
    const owner = await ownerPage();
    await go(owner, 'Queue');
    await card(owner, 'Title Reader').getByRole('link', { name: 'Notes on mending things' }).click();
    await owner.getByRole('heading', { level: 1, name: 'Notes on mending things' }).waitFor();
    await owner.getByRole('button', { name: 'Edit title' }).click();
    await owner.getByLabel('Page title').fill('Mending a kettle, step by step');
    await owner.getByRole('button', { name: 'Save title' }).click();
    await owner.getByRole('heading', { level: 1, name: 'Mending a kettle, step by step' }).waitFor();
    await owner.getByText('Title saved.').waitFor();

    await go(owner, 'Audit log');
    const log = owner.getByRole('main').getByRole('list').first();
    const renamed = log.getByRole('listitem').filter({ hasText: 'renamed the page' }).first();
    await renamed.getByRole('link', { name: 'Mending a kettle, step by step' }).waitFor();
    expect(await renamed.textContent()).toContain('Olive Owner');
    expect(await renamed.textContent()).not.toMatch(/[0-9a-z]{16}/);
    // The bulk spam of two comments earlier is one entry, naming both.
    const spam = log.getByRole('listitem').filter({ hasText: 'marked as spam 2 comments' });
    expect(await spam.count()).toBe(1);
    await spam.getByText('“Buy now!”').first().waitFor();
    const deleted = log.getByRole('listitem').filter({ hasText: 'deleted 2 comments' }).first();
    await deleted.getByText('“Visit my shop.”').waitFor();
  });

  it('runs under its Content-Security-Policy without a violation and fits a 360-pixel phone', async () => {
    const url = postUrl('phone');
    await postWithApi(
      parley,
      url,
      'A commenter with a rather long name indeed',
      `${'Longwordwithoutspaces'.repeat(8)} and https://example.com/a/very/long/link/that/goes/on/and/on`,
    );
    const context = await newContext(browser, {
      viewport: { width: 360, height: 740 },
      isMobile: true,
      hasTouch: true,
    });
    contexts.push(context);
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
    const response = await page.goto(`${origin}/admin/`);
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");

    await page.getByLabel('Email').fill(OWNER.email);
    await page.getByLabel('Password').fill(OWNER.password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
    await page.getByRole('figure').waitFor();
    expect(await page.evaluate<boolean>(OVERFLOWS), 'the overview is wider than the phone').toBe(false);

    await go(page, 'Queue');
    await card(page, 'A commenter with a rather long name indeed').waitFor();
    expect(await page.evaluate<boolean>(OVERFLOWS), 'the queue is wider than the phone').toBe(false);

    await card(page, 'A commenter with a rather long name indeed')
      .getByRole('link', { name: 'Notes on mending things' })
      .click();
    await page.getByRole('button', { name: /Lock thread|Unlock thread/ }).waitFor();
    expect(await page.evaluate<boolean>(OVERFLOWS), 'the thread is wider than the phone').toBe(false);

    await page.getByRole('button', { name: 'Edit title' }).click();
    expect(await page.evaluate<boolean>(OVERFLOWS), 'the title form is wider than the phone').toBe(false);

    for (const section of ['Sites', 'Audit log', 'Account']) {
      await go(page, section);
      expect(await page.evaluate<boolean>(OVERFLOWS), `${section} is wider than the phone`).toBe(false);
    }
    await page.goto(`${origin}/admin/sites/default`);
    await page.getByRole('heading', { level: 1, name: 'Default site' }).waitFor();
    expect(await page.evaluate<boolean>(OVERFLOWS), 'the site page is wider than the phone').toBe(false);
    await page.goto(`${origin}/admin/sites/default/members`);
    await page.getByRole('heading', { level: 1, name: 'Members of Default site' }).waitFor();
    expect(await page.evaluate<boolean>(OVERFLOWS), 'the members page is wider than the phone').toBe(false);
    expect(violations).toEqual([]);
  });
});
