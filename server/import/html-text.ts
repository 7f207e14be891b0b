/*
 * WordPress and Disqus keep comments as HTML; Parley keeps what the reader typed (markdown) and renders it itself,
 * so imported HTML goes back to markdown: paragraphs, line breaks, links, emphasis, code and quotes survive, every
 * other tag leaves only its text. The result is rendered like any new comment, so nothing unsafe gets through.
 */

const NAMED: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
  hellip: '…',
  mdash: '—',
  ndash: '–',
  lsquo: '‘',
  rsquo: '’',
  ldquo: '“',
  rdquo: '”',
  laquo: '«',
  raquo: '»',
  copy: '©',
  eacute: 'é',
};

/** Decodes HTML character references; unknown named ones stay as written. */
export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+\d*);/gi, (whole, ref: string) => {
    if (ref[0] === '#') {
      const code =
        ref[1] === 'x' || ref[1] === 'X' ? Number.parseInt(ref.slice(2), 16) : Number(ref.slice(1));
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return NAMED[ref.toLowerCase()] ?? whole;
  });
}

/** Backslash-escapes what markdown would read as markup in text that was plain on the old site. */
const escapeMarkdown = (text: string) => text.replace(/[\\`*_[\]]/g, '\\$&');

const EMPHASIS: Record<string, string> = {
  em: '*',
  i: '*',
  strong: '**',
  b: '**',
  code: '`',
  del: '~~',
  s: '~~',
};

/**
 * Markdown for a comment's HTML.
 *
 * @example htmlToMarkdown('<p>See <a href="https://a.example">this</a></p><p>Two</p>') // 'See [this](https://a.example)\n\nTwo'
 */
export function htmlToMarkdown(html: string): string {
  let out = '';
  const links: Array<{ href: string; start: number }> = [];
  let quote = 0;
  let pre = false;
  const newline = () => `\n${'> '.repeat(quote)}`;
  for (const [token] of html.matchAll(/<!--[\s\S]*?-->|<\/?[a-z][^>]*>|[^<]+|</gi)) {
    if (token.startsWith('<!--')) continue;
    const tag = token.match(/^<(\/?)([a-z0-9]+)/i);
    if (!tag) {
      const text = decodeEntities(token);
      out += pre ? text.replaceAll('\n', newline()) : escapeMarkdown(text).replace(/\r?\n/g, newline());
      continue;
    }
    const closing = tag[1] === '/';
    const name = (tag[2] ?? '').toLowerCase();
    if (name === 'br') out += newline();
    else if (name === 'p' || name === 'div') out += closing ? newline() + newline() : '';
    else if (name === 'blockquote') {
      quote = Math.max(0, quote + (closing ? -1 : 1));
      out += `\n\n${'> '.repeat(quote)}`;
    } else if (name === 'pre') {
      pre = !closing;
      out += `${newline()}\`\`\`${newline()}`;
    } else if (name === 'li' && !closing) out += `${newline()}- `;
    else if (name === 'a' && !closing) {
      const href = token.match(/\shref\s*=\s*("([^"]*)"|'([^']*)'|([^\s>]+))/i);
      links.push({ href: decodeEntities(href?.[2] ?? href?.[3] ?? href?.[4] ?? ''), start: out.length });
    } else if (name === 'a') {
      const link = links.pop();
      if (!link?.href) continue;
      const text = out.slice(link.start);
      const bare = text.replace(/\\/g, '') === link.href;
      out =
        out.slice(0, link.start) +
        (bare ? link.href : `[${text}](${link.href.replace(/[()\s]/g, encodeURI)})`);
    } else if (!pre && EMPHASIS[name]) out += EMPHASIS[name];
  }
  return out
    .replace(/[ \t]+$/gm, '')
    .replace(/\n(>? ?\n){2,}/g, '\n\n')
    .trim();
}
