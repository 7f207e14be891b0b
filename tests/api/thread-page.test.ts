import { HtmlValidate } from 'html-validate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AdminClient, signIn } from '../admin/client.ts';
import { newPage, newSite, postComment, publicRequest } from '../admin/site-fixtures.ts';
import { openSqliteTarget } from '../support/targets.ts';
import type { ApiTarget } from './target.ts';

/*
 * The thread as plain HTML for readers without JavaScript and for search engines (GET /threads/{site}). The store
 * behind it is the one every engine's contract tests; this runs on SQLite.
 */

describe('a thread as a plain HTML page', () => {
  let target: ApiTarget;
  let owner: AdminClient;
  beforeAll(async () => {
    target = await openSqliteTarget();
    owner = await signIn(target);
  });
  afterAll(() => target?.close());

  const page = async (site: string, url: string, headers: Record<string, string> = {}) =>
    target.request(`/threads/${site}?url=${encodeURIComponent(url)}`, { headers });

  it('holds every approved comment across pages, replies nested, and no held or spam one; it validates', async () => {
    const site = await newSite(owner, { blockedWords: ['casino'] });
    const url = newPage();
    const first = await postComment(target, { site, url, name: 'Ada', body: 'First *comment*' });
    const reply = await postComment(target, {
      site,
      url,
      parentId: first.comment.id,
      name: 'Grace',
      body: 'A reply',
    });
    const script = await postComment(target, {
      site,
      url,
      name: '<img src=x onerror=alert(1)>',
      body: '<script>alert("body")</script>',
    });
    const held = await postComment(target, { site, url, body: 'Cheap casino here' });
    const spam = await postComment(target, {
      site,
      url,
      body: 'A bot wrote this',
      website: 'https://bot.example',
    });
    expect(held.comment.status).toBe('pending');
    // More than one batch of the store's pages.
    const many = [];
    for (let i = 0; i < 205; i++)
      many.push((await postComment(target, { site, url, body: `Number ${i}` })).comment.id);

    const res = await page(site, url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
    const html = await res.text();
    for (const id of [first.comment.id, reply.comment.id, script.comment.id, ...many]) {
      expect(html).toContain(`id="c-${id}"`);
    }
    expect(html).not.toContain(held.comment.id);
    expect(html).not.toContain(spam.comment.id);
    expect(html).not.toContain('casino');
    expect(html.match(/itemtype="https:\/\/schema.org\/Comment"/g)).toHaveLength(208);
    expect(html).toContain(`<link rel="canonical" href="${url}">`);
    expect(html).toContain('<span itemprop="commentCount">208</span>');
    // The reply sits inside its parent's article.
    const parent = html.slice(
      html.indexOf(`id="c-${first.comment.id}"`),
      html.indexOf(`id="c-${script.comment.id}"`),
    );
    expect(parent).toContain(`id="c-${reply.comment.id}"`);
    // Written markup stays text, in the body and in the name.
    expect(html).toContain('&lt;script&gt;alert(&quot;body&quot;)&lt;/script&gt;');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).not.toMatch(/<script|<img/i);

    const report = await new HtmlValidate({ extends: ['html-validate:recommended'] }).validateString(html);
    const messages = report.results.flatMap((result) =>
      result.messages.map((m) => `${m.ruleId}: ${m.message}`),
    );
    expect(messages).toEqual([]);
    expect(report.valid).toBe(true);
  });

  it('answers 304 to its own ETag until the thread changes, and shows a vote', async () => {
    const site = await newSite(owner);
    const url = newPage();
    const { comment } = await postComment(target, { site, url });
    const first = await page(site, url);
    const etag = first.headers.get('etag') ?? '';
    expect((await page(site, url, { 'If-None-Match': etag })).status).toBe(304);
    const vote = await publicRequest(target, 'POST', `/api/comments/${comment.id}/vote`, {
      body: { key: 'a-browser-key-for-the-page', voted: true },
    });
    expect(vote.status).toBe(200);
    const after = await page(site, url, { 'If-None-Match': etag });
    expect(after.status).toBe(200);
    expect(await after.text()).toContain('<span itemprop="upvoteCount">1</span>');
  });

  it('says so for a page without comments, and answers a JSON 404 for an unknown site', async () => {
    const site = await newSite(owner);
    const empty = await page(site, newPage());
    expect(empty.status).toBe(200);
    expect(await empty.text()).toContain('No comments yet.');
    const missing = await page('no-such-site', newPage());
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe('not_found');
  });
});
