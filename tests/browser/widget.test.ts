import { type Browser, type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { REPAIR_THREAD, type SeedComment, seedThread } from './fixtures.ts';
import { chromiumAvailable, LAUNCH_OPTIONS, type Running, startBlog, startParley } from './harness.ts';

const run = chromiumAvailable;

/** In-page code, as strings: the tests are type-checked without the DOM library. */
const FOCUSED = `(() => {
  let active = document.activeElement;
  while (active && active.shadowRoot && active.shadowRoot.activeElement) active = active.shadowRoot.activeElement;
  if (!active) return '';
  const label = (active.labels && active.labels[0] && active.labels[0].textContent)
    || active.getAttribute('aria-label')
    || active.textContent;
  return active.tagName.toLowerCase() + ': ' + label.trim();
})()`;

/** The background colour of the widget's button named `name`. */
const BACKGROUND_OF = (name: string) => `(() => {
  const root = [...document.querySelectorAll('*')].find((e) => e.shadowRoot).shadowRoot;
  const button = [...root.querySelectorAll('button')].find((e) => e.textContent === ${JSON.stringify(name)});
  return getComputedStyle(button).backgroundColor;
})()`;

describe.runIf(run)('the widget in Chromium, embedded on another site', () => {
  let parley: Running;
  let blog: Running;
  let browser: Browser;
  let context: BrowserContext;
  let requests: string[];
  let dialogs: string[];

  beforeAll(async () => {
    parley = await startParley();
    blog = await startBlog(parley.origin);
    browser = await chromium.launch(LAUNCH_OPTIONS);
  });

  afterAll(async () => {
    await browser?.close();
    await blog?.stop();
    await parley?.stop();
  });

  afterEach(async () => {
    await context?.close();
  });

  const postUrl = (slug: string) => `${blog.origin}/posts/${slug}`;

  /** A fresh reader (own storage, no cookies) opening a post and waiting for its comments. */
  async function open(slug: string, query = ''): Promise<Page> {
    context = await browser.newContext();
    // Fail on the step that is stuck, well before the test's own timeout.
    context.setDefaultTimeout(8_000);
    const page = await context.newPage();
    requests = [];
    dialogs = [];
    page.on('request', (request) => requests.push(request.url()));
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await page.goto(`${postUrl(slug)}${query}`);
    await commentsHeading(page).waitFor();
    return page;
  }

  const commentsHeading = (page: Page) => page.getByRole('heading', { level: 2 });
  const newForm = (page: Page) => page.getByRole('form', { name: 'Leave a comment' });
  const article = (scope: Page | Locator, name: string) => scope.getByRole('article', { name, exact: true });
  const button = (scope: Page | Locator, name: string) => scope.getByRole('button', { name, exact: true });
  /** How many comments a comment is nested in. */
  const nesting = (comment: Locator) => comment.locator('xpath=ancestor::article').count();
  /** The comment's own action buttons, not those of its replies. */
  const actions = (comment: Locator) => comment.locator(':scope > .acts');

  async function write(form: Locator, body: string, name?: string) {
    await form.getByLabel('Comment').fill(body);
    if (name !== undefined) await form.getByLabel('Name').fill(name);
  }

  async function seed(slug: string, thread: SeedComment[]) {
    return seedThread(parley.origin, postUrl(slug), thread);
  }

  it('lets a reader post, preview, reply to a reply, edit and delete, and keeps it all after a reload', async () => {
    const page = await open('conversation');
    expect(await commentsHeading(page).textContent()).toBe('No comments yet');

    const form = newForm(page);
    await write(form, 'Fixed the **kettle** with a new fuse.', 'Ada');
    await button(form, 'Preview').click();
    await form.locator('strong', { hasText: 'kettle' }).waitFor();
    expect(await form.getByLabel('Comment').isHidden()).toBe(true);
    await button(form, 'Write').click();
    expect(await form.getByLabel('Comment').inputValue()).toBe('Fixed the **kettle** with a new fuse.');
    await button(form, 'Post comment').click();

    const ada = article(page, 'Ada').first();
    await ada.locator('strong', { hasText: 'kettle' }).waitFor();
    expect(await commentsHeading(page).textContent()).toBe('1 comment');
    expect(await form.getByLabel('Comment').inputValue()).toBe('');

    await button(actions(ada), 'Reply').click();
    const reply = page.getByRole('form', { name: 'Reply to Ada' });
    // The reply would be posted as Ada, the name given last; this reader changes it.
    await button(reply, 'Change').click();
    await write(reply, 'Which fuse rating did you use?', 'Grace');
    await button(reply, 'Post comment').click();
    const grace = article(ada, 'Grace');
    await grace.getByText('Which fuse rating').waitFor();
    expect(await reply.count()).toBe(0);

    await button(actions(grace), 'Reply').click();
    const replyToReply = page.getByRole('form', { name: 'Reply to Grace' });
    await button(replyToReply, 'Change').click();
    await write(replyToReply, '10 A, 142 °C — same as the old one.', 'Ada');
    await button(replyToReply, 'Post comment').click();
    const answer = article(grace, 'Ada');
    await answer.getByText('same as the old one').waitFor();
    expect(await commentsHeading(page).textContent()).toBe('3 comments');

    // Editing starts from the markdown the reader wrote, not from the HTML.
    await button(actions(ada), 'Edit').click();
    const edit = page.getByRole('form', { name: 'Edit your comment' });
    expect(await edit.getByLabel('Comment').inputValue()).toBe('Fixed the **kettle** with a new fuse.');
    await edit.getByLabel('Comment').fill('Fixed the **kettle** with a new thermal fuse.');
    await button(edit, 'Save changes').click();
    await ada.getByText('with a new thermal fuse').first().waitFor();
    await actions(ada).waitFor();
    await ada.locator(':scope > header').getByText('edited').waitFor();

    // A comment with replies leaves a placeholder; a leaf goes entirely.
    await button(actions(grace), 'Delete').click();
    await button(grace, 'Yes, delete').click();
    await ada.getByText('This comment was deleted.').waitFor();
    await ada.getByText('same as the old one').waitFor();

    await page.reload();
    await commentsHeading(page).waitFor();
    expect(await commentsHeading(page).textContent()).toBe('2 comments');
    const adaAgain = article(page, 'Ada').first();
    await adaAgain.getByText('with a new thermal fuse').first().waitFor();
    expect(await adaAgain.locator(':scope > header').getByText('edited').count()).toBe(1);
    await adaAgain.getByText('This comment was deleted.').waitFor();
    const answerAgain = adaAgain.getByRole('article', { name: 'Ada' });
    expect(await nesting(answerAgain)).toBe(2);
    // The reader's own comments can still be changed from this browser.
    expect(await button(actions(adaAgain), 'Edit').count()).toBe(1);
    await button(actions(answerAgain), 'Delete').click();
    await button(answerAgain, 'Yes, delete').click();
    await page.getByText('same as the old one').waitFor({ state: 'detached' });
    expect(await commentsHeading(page).textContent()).toBe('1 comment');
    expect(dialogs).toEqual([]);
  });

  it('nests replies inside their parent’s article, and lists replies past four levels flat', async () => {
    await seed('threaded', REPAIR_THREAD);
    const page = await open('threaded');
    expect(await commentsHeading(page).textContent()).toBe('10 comments');

    const dana = article(page, 'Dana Whitfield').first();
    expect(await article(dana, 'Mira Okafor').count()).toBe(1);
    expect(await article(dana, 'Dana Whitfield').getByText('sorry, typing on a phone').count()).toBe(1);

    const thanks = page.getByRole('article').filter({ hasText: 'Adding one to my list' }).last();
    expect(await thanks.locator(':scope > header').textContent()).toContain('replying to Tomasz');
    expect(await nesting(thanks)).toBe(4);
    const anonymous = article(page, 'Anonymous');
    expect(await anonymous.locator('code').textContent()).toBe('10A 216°C');
    expect(await nesting(anonymous)).toBe(0);
  });

  it('guides a first comment: a prompt, formatting help in plain words, a visible confirmation, no second ask for a name', async () => {
    await seed('guided', [{ name: 'Mira', body: 'Start with the kettle.' }]);
    const page = await open('guided');
    const form = newForm(page);
    expect(await form.getByLabel('Comment').getAttribute('placeholder')).toBe('What would you like to say?');
    const help = form.getByText('around words for bold', { exact: false });
    expect(await help.isVisible()).toBe(false);
    await form.getByText('Formatting help', { exact: true }).click();
    await help.waitFor();

    // Given in the main form, not yet posted: a reply does not ask again.
    await form.getByLabel('Name').fill('Ada');
    await form.getByLabel('Email').fill('ada@example.com');
    const mira = article(page, 'Mira');
    await button(actions(mira), 'Reply').click();
    const reply = page.getByRole('form', { name: 'Reply to Mira' });
    await reply.getByText('Posting as Ada').waitFor();
    expect(await reply.getByLabel('Name').isVisible()).toBe(false);
    // An empty comment is no reason to ask for the name again.
    await button(reply, 'Post comment').click();
    await reply.getByText('Write something first.').waitFor();
    expect(await reply.getByLabel('Name').isVisible()).toBe(false);
    await reply.getByLabel('Comment').fill('And then the toaster.');
    await button(reply, 'Post comment').click();
    const ada = article(mira, 'Ada');
    await ada.getByText('And then the toaster.').waitFor();
    // Seen where the comment appears, besides being said in the live region.
    await ada.getByText('Your comment was posted.').waitFor();
    expect(await page.locator('.sr[aria-live]').textContent()).toBe('Your comment was posted.');

    // Deleting is the destructive choice and looks it: the error colour, filled.
    await button(actions(ada), 'Delete').click();
    await button(ada, 'Yes, delete').waitFor();
    expect(await page.evaluate(BACKGROUND_OF('Yes, delete'))).toBe('rgb(180, 35, 24)');
    await button(ada, 'Keep it').click();

    // After a reload too; and the reader can still change who they post as.
    await page.reload();
    await button(actions(article(page, 'Mira')), 'Reply').click();
    const again = page.getByRole('form', { name: 'Reply to Mira' });
    await again.getByText('Posting as Ada').waitFor();
    await button(again, 'Change').click();
    await page.waitForFunction(`${FOCUSED} === 'input: Name (optional)'`);
    expect(await again.getByLabel('Name').inputValue()).toBe('Ada');
    expect(await again.getByLabel('Email').inputValue()).toBe('ada@example.com');
  });

  it('keeps a post written offline, says why it failed, and sends it when the reader retries online', async () => {
    const page = await open('offline');
    const form = newForm(page);
    await write(form, 'Written on a train, between two tunnels.');
    // The page was fully there before the connection went: the form's chunk, loaded after the first paint, too.
    await button(form, 'Post comment').waitFor();
    await context.setOffline(true);
    await button(form, 'Post comment').click();
    const alert = form.getByRole('alert');
    await alert.filter({ hasText: 'Could not reach the server' }).waitFor();
    expect(await form.getByLabel('Comment').inputValue()).toBe('Written on a train, between two tunnels.');

    await context.setOffline(false);
    await button(form, 'Post comment').click();
    await article(page, 'Anonymous').getByText('between two tunnels').waitFor();
    expect(await form.locator('.err').textContent()).toBe('');
    expect(await form.getByLabel('Comment').inputValue()).toBe('');
  });

  it('shows the server’s field errors next to the field and keeps the text', async () => {
    const page = await open('field-errors');
    const form = newForm(page);
    await write(form, 'Please reply by email.');
    await form.getByLabel('Email').fill('not-an-address');
    await button(form, 'Post comment').click();
    const email = form.getByLabel('Email');
    await form.getByText('Not an email address').waitFor();
    expect(await email.getAttribute('aria-invalid')).toBe('true');
    const describedBy = (await email.getAttribute('aria-describedby')) ?? '';
    expect(await form.locator(`[id="${describedBy.split(' ').pop()}"]`).textContent()).toBe(
      'Not an email address',
    );
    expect(await form.getByRole('alert').textContent()).toBe('Please check the marked fields.');
    expect(await form.getByLabel('Comment').inputValue()).toBe('Please reply by email.');
  });

  it('keeps a draft across a reload', async () => {
    const page = await open('draft');
    await newForm(page).getByLabel('Comment').fill('Half a thought about solder');
    // The draft is saved a moment after typing stops: wait until it is in storage, not for a fixed time.
    await page.waitForFunction(
      `Object.keys(localStorage).some((key) => key.startsWith('parley:draft:') &&
        localStorage.getItem(key).includes('Half a thought about solder'))`,
    );
    await page.reload();
    await commentsHeading(page).waitFor();
    expect(await newForm(page).getByLabel('Comment').inputValue()).toBe('Half a thought about solder');
  });

  it('never runs script a reader wrote, and shows it as text', async () => {
    const page = await open('xss');
    const form = newForm(page);
    await write(
      form,
      '<img src=x onerror="window.__pwned=true;alert(1)">\n\n[x](javascript:alert(1))\n\n<script>window.__pwned=true</script>',
      '<script>window.__pwned=true;alert(2)</script>',
    );
    await button(form, 'Preview').click();
    await button(form, 'Write').waitFor();
    await button(form, 'Post comment').click();
    const name = '<script>window.__pwned=true;alert(2)</script>';
    await article(page, name).waitFor();
    await page.reload();
    const comment = article(page, name);
    await comment.waitFor();
    const link = comment.getByText('x', { exact: true });
    if ((await link.count()) > 0) await link.click();
    // Whatever a click could have started has run once the page has painted twice more.
    await page.evaluate('new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))');
    expect(await page.evaluate('window.__pwned')).toBe(false);
    expect(dialogs).toEqual([]);
    expect(await comment.locator('script, img[onerror], a[href^="javascript"]').count()).toBe(0);
  });

  it('can be used with the keyboard alone, and moves focus to the comment just posted', async () => {
    const page = await open('keyboard');
    for (
      let presses = 0;
      presses < 10 && (await page.evaluate<string>(FOCUSED)) !== 'textarea: Comment';
      presses++
    ) {
      await page.keyboard.press('Tab');
    }
    expect(await page.evaluate<string>(FOCUSED)).toBe('textarea: Comment');
    await page.keyboard.type('Typed without a mouse.');
    for (
      let presses = 0;
      presses < 6 && (await page.evaluate<string>(FOCUSED)) !== 'button: Post comment';
      presses++
    ) {
      await page.keyboard.press('Tab');
    }
    expect(await page.evaluate<string>(FOCUSED)).toBe('button: Post comment');
    await page.keyboard.press('Enter');
    await article(page, 'Anonymous').waitFor();
    await page.waitForFunction(`${FOCUSED} === 'article: Anonymous'`);
    await article(page, 'Anonymous').getByText('Your comment was posted.').waitFor();
  });

  it('talks to the Parley server only, with one request for the thread, and sets no cookie', async () => {
    await seed('network', [{ name: 'Lin', body: 'Quiet page.' }]);
    const page = await open('network');
    await article(page, 'Lin').waitFor();
    // The thread in one request; its live stream opens after the first paint.
    const api = requests.filter(
      (url) => url.startsWith(`${parley.origin}/api/`) && !url.includes('/api/comments/live?'),
    );
    expect(api).toHaveLength(1);
    expect(api[0]).toContain('/api/comments?');

    await write(newForm(page), 'Adding a second one.');
    await button(newForm(page), 'Post comment').click();
    await page.getByText('Adding a second one.').waitFor();

    const elsewhere = requests.filter(
      (url) => !url.startsWith(blog.origin) && !url.startsWith(parley.origin),
    );
    expect(elsewhere).toEqual([]);
    expect(requests.filter((url) => url.startsWith(blog.origin))).toEqual([postUrl('network')]);
    expect(await context.cookies()).toEqual([]);
    expect(await page.evaluate('document.cookie')).toBe('');
  });

  it('speaks the language the page asks for, with the words fetched from the Parley server', async () => {
    const probe = await fetch(`${parley.origin}/i18n/fr.json`, { headers: { origin: blog.origin } });
    expect(probe.headers.get('access-control-allow-origin')).toBe('*');
    const page = await open('in-french', '?lang=fr');
    expect(await commentsHeading(page).textContent()).toBe('Pas encore de commentaires');
    await page.getByRole('form', { name: 'Laisser un commentaire' }).getByLabel('Commentaire').waitFor();
    const paths = requests
      .filter((url) => url.startsWith(parley.origin))
      .map((url) => new URL(url).pathname)
      .filter((path) => path !== '/api/comments/live');
    // Then, after the first paint, the widget's chunks.
    expect(paths.slice(0, 3)).toEqual(['/embed.js', '/i18n/fr.json', '/api/comments']);
    expect(paths.slice(3).filter((path) => !/^\/w\/[\w-]+\.js$/.test(path))).toEqual([]);
  });

  it('takes its theme from data-theme, else from the page behind it, and follows the page when it switches', async () => {
    // The widget's root inside its shadow root carries `dark` when it draws light text on a dark background.
    const isDark = (page: Page) =>
      page.evaluate<boolean | null>(
        "[...document.querySelectorAll('*')].find((e) => e.shadowRoot)?.shadowRoot.querySelector('.p')?.classList.contains('dark') ?? null",
      );
    const forced = await open('theme-forced', '?theme=dark');
    expect(await isDark(forced)).toBe(true);

    const auto = await open('theme-auto');
    expect(await isDark(auto)).toBe(false);
    // The reader's system prefers dark, but this page paints nothing and has not opted into a dark scheme.
    await auto.emulateMedia({ colorScheme: 'dark' });
    expect(await isDark(auto)).toBe(false);
    await auto.evaluate("document.documentElement.style.colorScheme = 'dark'");
    await expect.poll(() => isDark(auto)).toBe(true);
    // A page with its own theme switch: its painted background decides.
    await auto.evaluate("document.body.style.background = '#fdfcf8'");
    await expect.poll(() => isDark(auto)).toBe(false);
    await auto.evaluate("document.body.style.background = '#15171a'");
    await expect.poll(() => isDark(auto)).toBe(true);
  });

  it('follows a single-page app to another page when it calls parley.reload()', async () => {
    await seed('spa-first', [{ name: 'Noor', body: 'On the first page.' }]);
    await seed('spa-second', [{ name: 'Ravi', body: 'On the second page.' }]);
    const page = await open('spa-first');
    await article(page, 'Noor').waitFor();
    await page.evaluate(`history.pushState({}, '', '/posts/spa-second'); window.parley.reload();`);
    await article(page, 'Ravi').waitFor();
    expect(await article(page, 'Noor').count()).toBe(0);
  });

  it('loads the next page with “Show more”, continuing a subtree the previous page ended in', async () => {
    await seed('long', [
      {
        name: 'First',
        body: 'One.',
        replies: [
          { name: 'Reply A', body: 'A.' },
          { name: 'Reply B', body: 'B.' },
        ],
      },
      { name: 'Second', body: 'Two.' },
      { name: 'Third', body: 'Three.' },
      { name: 'Fourth', body: 'Four.' },
    ]);
    const page = await open('long', '?limit=2');
    expect(await page.getByRole('article').count()).toBe(2);

    await button(page, 'Show more comments').click();
    await article(page, 'Second').waitFor();
    expect(await article(article(page, 'First'), 'Reply B').count()).toBe(1);

    await button(page, 'Show more comments').click();
    await article(page, 'Fourth').waitFor();
    expect(await page.getByRole('article').count()).toBe(6);
    expect(await button(page, 'Show more comments').count()).toBe(0);
  });
  it('folds a long comment under “Read more”, a real button that unfolds it from the keyboard and folds it again', async () => {
    const paragraphs = Array.from({ length: 40 }, (_, at) => `Paragraph ${at + 1} of a long story.`).join(
      '\n\n',
    );
    await seed('fold', [
      { name: 'Long', body: paragraphs },
      { name: 'Short', body: 'Brief.' },
    ]);
    const page = await open('fold');
    const long = article(page, 'Long');
    const more = long.getByRole('button', { name: 'Read more' });
    await more.waitFor();
    expect(await article(page, 'Short').getByRole('button', { name: 'Read more' }).count()).toBe(0);
    expect(await more.getAttribute('aria-expanded')).toBe('false');
    const body = long.locator('[part="body"]');
    const cut = () => body.evaluate((element) => element.scrollHeight > element.clientHeight + 1);
    expect(await cut()).toBe(true);

    await more.focus();
    await page.keyboard.press('Enter');
    const less = long.getByRole('button', { name: 'Show less' });
    await less.waitFor();
    expect(await less.getAttribute('aria-expanded')).toBe('true');
    expect(await cut()).toBe(false);
    expect(await long.getByText('Paragraph 40 of a long story.').isVisible()).toBe(true);

    await page.keyboard.press('Space');
    await more.waitFor();
    expect(await cut()).toBe(true);
  });
  it('quotes the text selected in a comment into its reply form, as markdown, and the whole comment when none is', async () => {
    await seed('quote', [{ name: 'Quoted', body: 'The fuse was fine.\n\nThe switch was not.' }]);
    const page = await open('quote');
    const quoted = article(page, 'Quoted');
    await button(quoted, 'Quote').waitFor();
    // The reader selects "switch was" in the comment's second paragraph (a shadow tree has its own selection).
    await page.evaluate(`(() => {
      const root = document.querySelector('#comments > div').shadowRoot;
      const article = [...root.querySelectorAll('article')].find((each) => each.ariaLabel === 'Quoted');
      const text = article.querySelectorAll('[part="body"] p')[1].firstChild;
      const range = document.createRange();
      range.setStart(text, 4);
      range.setEnd(text, 14);
      root.getSelection().removeAllRanges();
      root.getSelection().addRange(range);
    })()`);
    await button(quoted, 'Quote').click();
    const reply = page.getByRole('form', { name: 'Reply to Quoted' }).getByLabel('Comment');
    await expect.poll(() => reply.inputValue()).toBe('> switch was\n\n');
    // The caret is after the quote, in the field: the reader writes on.
    await page.keyboard.type('Which one?');
    expect(await reply.inputValue()).toBe('> switch was\n\nWhich one?');

    // Nothing selected: the whole comment, after what is written.
    await page.evaluate(
      "document.querySelector('#comments > div').shadowRoot.getSelection().removeAllRanges()",
    );
    await button(quoted, 'Quote').click();
    await expect
      .poll(() => reply.inputValue())
      .toBe('> switch was\n\nWhich one?\n\n> The fuse was fine.\n> The switch was not.\n\n');
  });
});
