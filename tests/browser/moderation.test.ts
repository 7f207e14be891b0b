import { type Browser, type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AdminComment, SessionView } from '../../shared/admin-schemas.ts';
import { chromiumAvailable, LAUNCH_OPTIONS, type Running, startBlog, startParley } from './harness.ts';

const run = chromiumAvailable;

/** The server owner the server creates from its environment at start, as on a deployment without a shell. */
const OWNER = { email: 'owner@example.com', password: 'mend-the-kettle-first' };

/** A reader's page, and what it asked the Parley server and said on the console. */
interface Reader {
  page: Page;
  /** `METHOD /path` of every request to the Parley API. */
  api: string[];
  console: string[];
}

/** The widget's first console hint; hints come with the failures chunk, which may land after the alert shows. */
async function consoleHint(lines: readonly string[]): Promise<string> {
  await expect.poll(() => lines.some((line) => line.startsWith('[parley]'))).toBe(true);
  return lines.find((line) => line.startsWith('[parley]')) ?? '';
}

describe.runIf(run)('the widget and moderation, against the real server', () => {
  let parley: Running;
  let blog: Running;
  let browser: Browser;
  let admin: (method: string, path: string, body?: unknown) => Promise<unknown>;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    // The harness passes its own environment to the server: the owner comes from there, fast to sign in.
    Object.assign(process.env, {
      PARLEY_ADMIN_EMAIL: OWNER.email,
      PARLEY_ADMIN_PASSWORD: OWNER.password,
      PARLEY_PASSWORD_ITERATIONS: '1000',
    });
    try {
      parley = await startParley();
    } finally {
      delete process.env.PARLEY_ADMIN_EMAIL;
      delete process.env.PARLEY_ADMIN_PASSWORD;
      delete process.env.PARLEY_PASSWORD_ITERATIONS;
    }
    blog = await startBlog(parley.origin);
    browser = await chromium.launch(LAUNCH_OPTIONS);

    const session = await fetch(`${parley.origin}/admin/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(OWNER),
    });
    expect(session.status, await session.clone().text()).toBe(200);
    const cookie = (session.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const { csrfToken } = (await session.json()) as SessionView;
    admin = async (method, path, body) => {
      const response = await fetch(`${parley.origin}/admin/api${path}`, {
        method,
        headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken },
        body: body === undefined ? null : JSON.stringify(body),
      });
      expect(response.status, `${method} ${path}: ${await response.clone().text()}`).toBeLessThan(300);
      return response.json();
    };
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

  /** A site of its own for a test, accepting the blog's origin, with the settings given. */
  async function site(id: string, settings: Record<string, unknown> = {}, origins = [blog.origin]) {
    await admin('POST', '/sites', { id, name: id, origins });
    await admin('PATCH', `/sites/${id}`, { settings });
    return id;
  }

  /** A fresh reader (own storage, no cookies) opening a post, `?site=…` and other data-* options in `query`. */
  async function open(slug: string, query = '', context?: BrowserContext): Promise<Reader> {
    const own = context ?? (await browser.newContext());
    if (!context) contexts.push(own);
    own.setDefaultTimeout(8_000);
    const page = await own.newPage();
    const reader: Reader = { page, api: [], console: [] };
    page.on('request', (request) => {
      const url = new URL(request.url());
      // The live stream, opened after the first paint, is not one of the requests these tests count.
      if (
        url.origin === parley.origin &&
        url.pathname.startsWith('/api/') &&
        url.pathname !== '/api/comments/live'
      ) {
        reader.api.push(`${request.method()} ${url.pathname}`);
      }
    });
    page.on('console', (message) => reader.console.push(message.text()));
    await page.goto(`${postUrl(slug)}${query}`);
    return reader;
  }

  /** Waits for the thread to be shown: its heading says how many comments there are. */
  const ready = async ({ page }: Reader) => page.getByRole('heading', { level: 2 }).waitFor();
  const newForm = (page: Page) => page.getByRole('form', { name: 'Leave a comment' });
  const article = (scope: Page | Locator, name: string) => scope.getByRole('article', { name, exact: true });
  const button = (scope: Page | Locator, name: string) => scope.getByRole('button', { name, exact: true });
  const nesting = (comment: Locator) => comment.locator('xpath=ancestor::article').count();
  const header = (comment: Locator) => comment.locator(':scope > header');

  async function post(page: Page, body: string, who: { name?: string; email?: string } = {}) {
    const form = newForm(page);
    await form.getByLabel('Comment').fill(body);
    if (who.name !== undefined) await form.getByLabel('Name').fill(who.name);
    if (who.email !== undefined) await form.getByLabel('Email').fill(who.email);
    await button(form, 'Post comment').click();
    return form;
  }

  /** Posts through the public API, as a reader elsewhere would. */
  async function postWithApi(slug: string, name: string, body: string, parentId?: string): Promise<string> {
    const response = await fetch(`${parley.origin}/api/comments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ url: postUrl(slug), name, body, parentId }),
    });
    expect(response.status, await response.clone().text()).toBe(201);
    return ((await response.json()) as { comment: { id: string } }).comment.id;
  }

  it('shows a comment held for moderation to its author only, marked, and again after a reload', async () => {
    const held = await site('held', { moderation: 'all' });
    const author = await open('held', `?site=${held}`);
    await ready(author);
    expect(author.api).toEqual(['GET /api/comments']);
    await post(author.page, 'Is a 13 A fuse too much for a kettle?', { name: 'Pat' });
    const pat = article(author.page, 'Pat');
    await header(pat).getByText('awaiting moderation').waitFor();
    await pat.getByText('Your comment will appear once a moderator approves it.').waitFor();

    const other = await open('held', `?site=${held}`);
    await ready(other);
    expect(await other.page.getByRole('heading', { level: 2 }).textContent()).toBe('No comments yet');
    expect(await article(other.page, 'Pat').count()).toBe(0);

    // After a reload the page does not hold it: one request for the reader's own comments brings it back.
    author.api.length = 0;
    await author.page.reload();
    await header(pat).getByText('awaiting moderation').waitFor();
    expect(await pat.getByText('Is a 13 A fuse too much').count()).toBe(1);
    expect(author.api).toEqual(['GET /api/comments', 'POST /api/comments/own']);

    // Once approved, the page holds it: no mark and no extra request.
    const queue = (await admin('GET', `/comments?site=${held}&status=pending`)) as {
      comments: AdminComment[];
    };
    await admin('POST', '/comments/actions', {
      ids: queue.comments.map((each) => each.id),
      action: 'approve',
    });
    author.api.length = 0;
    await author.page.reload();
    await pat.getByText('Is a 13 A fuse too much').waitFor();
    expect(await header(pat).getByText('awaiting moderation').count()).toBe(0);
    expect(author.api).toEqual(['GET /api/comments']);
  });

  it('marks the owner’s reply with an “Author” badge, and a moderator’s edit as such', async () => {
    const question = await postWithApi('answered', 'Kettle Owner', 'Which fuse rating should I buy?');
    await admin('POST', `/comments/${question}/replies`, { body: 'The same as the old one: **10 A**.' });
    await admin('PATCH', `/comments/${question}`, { body: 'Which fuse rating should I buy for my kettle?' });

    const reader = await open('answered');
    await ready(reader);
    const asked = article(reader.page, 'Kettle Owner');
    await asked.getByText('for my kettle').waitFor();
    expect(await header(asked).getByText('edited by a moderator').count()).toBe(1);
    const reply = reader.page.getByRole('article').filter({ hasText: 'The same as the old one' }).last();
    await reply.getByText('Author', { exact: true }).waitFor();
    expect(await header(asked).getByText('Author', { exact: true }).count()).toBe(0);
  });

  it('lists pinned comments in a “Pinned” section above the thread, and keeps them in their place', async () => {
    await postWithApi('pinned', 'Ines', 'First!');
    const rules = await postWithApi(
      'pinned',
      'Blog Owner',
      'Please keep the mains unplugged while you work.',
    );
    await postWithApi('pinned', 'Omar', 'Good advice.', rules);
    await admin('POST', '/comments/actions', { ids: [rules], action: 'pin' });

    const { page } = await open('pinned');
    const pinned = page.getByRole('region', { name: 'Pinned' });
    await pinned.getByRole('heading', { name: 'Pinned' }).waitFor();
    const copy = article(pinned, 'Blog Owner');
    await copy.getByText('keep the mains unplugged').waitFor();
    expect(await pinned.getByRole('article').count()).toBe(1);

    // The section comes first, and the comment stays in its place too, with its reply and marked.
    expect(await article(page, 'Blog Owner').count()).toBe(2);
    const inPlace = article(page, 'Blog Owner').last();
    expect(await header(inPlace).getByText('Pinned', { exact: true }).count()).toBe(1);
    expect(await article(inPlace, 'Omar').count()).toBe(1);
    expect(await article(copy, 'Omar').count()).toBe(0);
    const [first] = await page.getByRole('article').allTextContents();
    expect(first).toContain('keep the mains unplugged');
  });

  it('asks for a name where the site requires one, in the form and on the server', async () => {
    const named = await site('named', { requireName: true });
    const reader = await open('named', `?site=${named}`);
    await ready(reader);
    const form = newForm(reader.page);
    const name = form.getByLabel('Name (required)');
    expect(await name.getAttribute('required')).not.toBeNull();
    expect(await form.getByLabel('Email (optional)').getAttribute('required')).toBeNull();

    await post(reader.page, 'No name on this one.');
    await form.getByText('This site asks for it.').waitFor();
    expect(await name.getAttribute('aria-invalid')).toBe('true');
    expect(await reader.page.evaluate<string>(FOCUSED_FIELD)).toBe('name');
    expect(reader.api.filter((each) => each.startsWith('POST'))).toEqual([]);
    expect(await form.getByLabel('Comment').inputValue()).toBe('No name on this one.');

    const refused = await fetch(`${parley.origin}/api/comments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ url: postUrl('named'), site: named, body: 'Nameless' }),
    });
    expect(refused.status).toBe(422);
    expect(
      ((await refused.json()) as { error: { fields: Record<string, string> } }).error.fields.name,
    ).toBeTruthy();

    await name.fill('Noor');
    await button(form, 'Post comment').click();
    await article(reader.page, 'Noor').getByText('No name on this one.').waitFor();
  });

  it('tells a banned reader in words and keeps what they wrote', async () => {
    const reader = await open('banned');
    await ready(reader);
    await post(reader.page, 'Cheap fuses, click here.', { name: 'Spammy', email: 'spammy@example.com' });
    await article(reader.page, 'Spammy').waitFor();
    const found = (await admin('GET', '/comments?q=spammy')) as { comments: AdminComment[] };
    const commentId = found.comments[0]?.id;
    // By email: every reader in this suite shares one network address.
    await admin('POST', '/sites/default/bans', { commentId, kinds: ['email'], reason: 'Advertising' });

    const form = await post(reader.page, 'Still cheap fuses.');
    await form.getByRole('alert').filter({ hasText: 'You can no longer comment on this site.' }).waitFor();
    expect(await form.getByLabel('Comment').inputValue()).toBe('Still cheap fuses.');
    expect(await article(reader.page, 'Spammy').count()).toBe(1);
  });

  it('shows the site’s refusal when the blog is not among its origins, and tells the blogger what to change', async () => {
    const elsewhere = await site('elsewhere', {}, ['https://elsewhere.example']);
    const reader = await open('refused', `?site=${elsewhere}`);
    const alert = reader.page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toBe(`This site does not accept comments from ${blog.origin}`);
    expect(await newForm(reader.page).count()).toBe(0);
    expect(await button(reader.page, 'Try again').count()).toBe(0);
    const hint = await consoleHint(reader.console);
    expect(hint).toContain(`add ${blog.origin} to the site's Origins`);
  });

  it('shows the server’s own words when a post is refused, here because the blog’s origin was removed meanwhile', async () => {
    const moved = await site('moved');
    const reader = await open('moved', `?site=${moved}`);
    await ready(reader);
    await admin('PATCH', `/sites/${moved}`, { settings: { origins: ['https://elsewhere.example'] } });

    const form = await post(reader.page, 'Posted after the site moved.');
    const alert = form.getByRole('alert').filter({ hasText: /\S/ });
    await alert.waitFor();
    expect(await alert.textContent()).toBe(`This site does not accept comments from ${blog.origin}`);
    expect(await form.getByLabel('Comment').inputValue()).toBe('Posted after the site moved.');
    const hint = await consoleHint(reader.console);
    expect(hint).toContain(`add ${blog.origin} to the site's Origins`);
  });

  it('says why a reply is refused when its comment was removed meanwhile, not to check fields it has not marked', async () => {
    const parent = await postWithApi('removed-parent', 'Hasty', 'Fuses are overrated.');
    const reader = await open('removed-parent');
    await ready(reader);
    await button(article(reader.page, 'Hasty'), 'Reply').click();
    const reply = reader.page.getByRole('form', { name: 'Reply to Hasty' });
    await reply.getByLabel('Comment').fill('They are not.');
    await admin('POST', '/comments/actions', { ids: [parent], action: 'spam' });

    await button(reply, 'Post comment').click();
    const alert = reply.getByRole('alert').filter({ hasText: /\S/ });
    await alert.waitFor();
    expect(await alert.textContent()).toBe('That comment cannot be replied to');
    expect(await reply.getByLabel('Comment').inputValue()).toBe('They are not.');
  });

  it('points the blogger at data-site when the site does not exist', async () => {
    const reader = await open('no-site', '?site=nosuchsite');
    await reader.page.getByRole('alert').waitFor();
    const hint = await consoleHint(reader.console);
    expect(hint).toContain('nosuchsite');
    expect(hint).toContain('check data-site');
  });

  it('closes a locked thread: a note, no form and no Reply, also when it locks while a reader writes', async () => {
    const first = await postWithApi('locked', 'Early Bird', 'First!');
    const writer = await open('locked');
    await ready(writer);
    await newForm(writer.page).getByLabel('Comment').fill('Second!');

    const found = (await admin('GET', `/comments?q=Early Bird`)) as { comments: AdminComment[] };
    const thread = found.comments.find((each) => each.id === first)?.thread.id;
    await admin('PATCH', `/threads/${thread}`, { locked: true });

    // The reader who had the form open is told, in words, when they post.
    await button(newForm(writer.page), 'Post comment').click();
    await writer.page.getByRole('alert').filter({ hasText: 'Comments are closed on this page.' }).waitFor();
    expect(await newForm(writer.page).count()).toBe(0);
    expect(await button(writer.page, 'Reply').count()).toBe(0);

    const reader = await open('locked');
    await ready(reader);
    await reader.page.getByText('Comments are closed on this page.').waitFor();
    await article(reader.page, 'Early Bird').waitFor();
    expect(await newForm(reader.page).count()).toBe(0);
    expect(await button(reader.page, 'Reply').count()).toBe(0);
  });

  it('keeps a reply whose parent was marked as spam, at the top level, saying so', async () => {
    const parent = await postWithApi('orphan', 'Spammer', 'Buy cheap fuses.');
    await postWithApi('orphan', 'Careful Reader', 'Do not buy fuses from strangers.', parent);
    await postWithApi('orphan', 'Later', 'Nice post.');
    await admin('POST', '/comments/actions', { ids: [parent], action: 'spam' });

    const { page } = await open('orphan');
    const orphan = article(page, 'Careful Reader');
    await orphan.getByText('Do not buy fuses from strangers.').waitFor();
    expect(await nesting(orphan)).toBe(0);
    expect(await header(orphan).textContent()).toContain('replying to a removed comment');
    expect(await article(page, 'Spammer').count()).toBe(0);
    await article(page, 'Later').waitFor();
  });
});

/** In-page code, as a string: the tests are type-checked without the DOM library. */
const FOCUSED_FIELD = `(() => {
  let active = document.activeElement;
  while (active && active.shadowRoot && active.shadowRoot.activeElement) active = active.shadowRoot.activeElement;
  return active ? active.getAttribute('name') : '';
})()`;
