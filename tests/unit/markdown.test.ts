import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '../../server/markdown.ts';
import { XSS_VECTORS } from './xss-vectors.ts';

const ALLOWED_TAGS = new Set([
  'p',
  'br',
  'em',
  'strong',
  's',
  'a',
  'ul',
  'ol',
  'li',
  'blockquote',
  'code',
  'pre',
  'hr',
]);

/**
 * Checks the rendered HTML structurally: every `<` opens or closes an allowed tag, and the only attributes are a
 * safe href, a title and our rel on links, `start` on lists and a language class on code.
 */
function assertSafeHtml(html: string) {
  const tag = /<(\/?)([a-zA-Z0-9]+)((?:\s+[a-z-]+="[^"<>]*")*)\s*(\/?)>/y;
  for (let i = html.indexOf('<'); i !== -1; i = html.indexOf('<', i + 1)) {
    tag.lastIndex = i;
    const match = tag.exec(html);
    if (!match) throw new Error(`Unexpected "<" at ${i}: ${html.slice(i, i + 40)}`);
    const [, , name = '', attributes = ''] = match;
    expect(ALLOWED_TAGS, `tag <${name}> in ${html}`).toContain(name.toLowerCase());
    for (const [, attr, value = ''] of attributes.matchAll(/([a-z-]+)="([^"]*)"/g)) {
      if (name === 'a' && attr === 'href') expect(value, html).toMatch(/^(https?:\/\/|mailto:)/i);
      else if (name === 'a' && attr === 'rel') expect(value).toBe('nofollow ugc noopener');
      else if (name === 'a' && attr === 'title')
        continue; // escaped by the pattern above: no quote can end it early
      else if (name === 'ol' && attr === 'start') expect(value).toMatch(/^\d+$/);
      else if (name === 'code' && attr === 'class') expect(value).toMatch(/^language-[^\s"'<>]+$/);
      else throw new Error(`Unexpected attribute ${attr} on <${name}> in ${html}`);
    }
  }
  expect(html).not.toMatch(/<[^>]*(javascript|vbscript|data):/i);
}

describe('markdown rendering', () => {
  it('renders the markdown readers use: paragraphs, emphasis, links, lists, quotes, code', () => {
    const html = renderMarkdown(
      'Hi **bold** _it_ ~~gone~~ `x<y`\nnext line\n\n> quoted\n\n1. one\n2. two\n\n- a\n\n```js\nif (a < b) {}\n```\n\n[site](https://example.org/a?b=1&c=2)',
    );
    expect(html).toBe(
      '<p>Hi <strong>bold</strong> <em>it</em> <s>gone</s> <code>x&lt;y</code><br>\nnext line</p>\n' +
        '<blockquote>\n<p>quoted</p>\n</blockquote>\n' +
        '<ol>\n<li>one</li>\n<li>two</li>\n</ol>\n' +
        '<ul>\n<li>a</li>\n</ul>\n' +
        '<pre><code class="language-js">if (a &lt; b) {}\n</code></pre>\n' +
        '<p><a href="https://example.org/a?b=1&amp;c=2" rel="nofollow ugc noopener">site</a></p>\n',
    );
  });

  it('turns bare URLs and emails into links carrying rel="nofollow ugc noopener"', () => {
    expect(renderMarkdown('see https://example.org and me@example.org')).toBe(
      '<p>see <a href="https://example.org" rel="nofollow ugc noopener">https://example.org</a> and ' +
        '<a href="mailto:me@example.org" rel="nofollow ugc noopener">me@example.org</a></p>\n',
    );
  });

  it('leaves bare addresses as text in a body with more than ten of them, where linking them is slow', () => {
    const ten = Array.from({ length: 10 }, (_, i) => `https://example.org/${i}`).join(' ');
    expect(renderMarkdown(ten).match(/<a /g)).toHaveLength(10);
    const eleven = `${ten} me@example.org`;
    expect(renderMarkdown(eleven)).toBe(`<p>${eleven}</p>\n`);
    expect(renderMarkdown(`${eleven} [a link](https://example.org/written)`)).toContain(
      '<a href="https://example.org/written" rel="nofollow ugc noopener">a link</a>',
    );
  });

  it('shows images and headings as text, so no comment fetches third-party content or breaks the outline', () => {
    const html = renderMarkdown('# Title\n\n![tracker](https://tracker.example/pixel.gif)');
    expect(html).not.toMatch(/<img|<h1/);
    expect(html).toContain('# Title');
    expect(html).toContain(
      '<a href="https://tracker.example/pixel.gif" rel="nofollow ugc noopener">tracker</a>',
    );
  });

  it('keeps curly quotes, dashes, emoji and right-to-left text as they were typed', () => {
    const text = '“Quoted” — it’s 👍🏽 and עברית';
    expect(renderMarkdown(text)).toBe(`<p>${text}</p>\n`);
  });

  it('escapes raw HTML as text', () => {
    expect(renderMarkdown('<b onclick="x()">hi</b>')).toBe(
      '<p>&lt;b onclick=&quot;x()&quot;&gt;hi&lt;/b&gt;</p>\n',
    );
  });

  it.each(XSS_VECTORS.map((vector) => [vector]))('makes inert: %s', (vector) => {
    assertSafeHtml(renderMarkdown(vector));
  });

  it('survives pathological nesting quickly', () => {
    const started = performance.now();
    assertSafeHtml(renderMarkdown(`${'> '.repeat(5000)}x\n${'*'.repeat(5000)}\n${'['.repeat(5000)}`));
    expect(performance.now() - started).toBeLessThan(2000);
  });
});
