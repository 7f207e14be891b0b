import MarkdownIt from 'markdown-it';
import { LIMITS } from '../shared/limits.ts';

/*
 * The only place Parley makes HTML out of what a reader wrote. Raw HTML is escaped (html: false), links are
 * limited to http(s) and mailto, and block types that would break the host page's outline (headings, tables) or
 * make readers' browsers fetch third-party content (images) are switched off and show as text.
 */

const SAFE_LINK = /^(https?:\/\/|mailto:)/i;
const LINK_REL = 'nofollow ugc noopener';

/*
 * linkify-it checks each address it finds against the rest of its paragraph, so a body made of many addresses
 * costs the square of its length: 10,000 characters of `#__https://a.b` took 1.5 s to render (bench/markdown-fuzz.ts).
 * A comment with more than a handful of bare addresses is spam-shaped anyway (held for its links): it is
 * rendered with them as text. Links written as `[text](url)` are unaffected.
 */
const ADDRESSES_MAX = 10;
const ADDRESS_START = /\/\/|www\.|@/g;

function renderer(linkify: boolean) {
  const md = new MarkdownIt('default', {
    html: false,
    linkify,
    breaks: true,
    typographer: false,
    maxNesting: 20,
  });
  md.disable(['image', 'heading', 'lheading', 'table']);
  // Nothing longer than a URL the API accepts is taken for one; bounds the scan for each candidate.
  md.linkify.set({ maxLength: LIMITS.urlMax });

  // markdown-it hands over the destination after decoding entities and escapes, so `&#106;avascript:` is checked
  // as `javascript:`; an allowlist also refuses schemes hidden behind whitespace or control characters.
  md.validateLink = (url) => SAFE_LINK.test(url);

  const renderToken = md.renderer.renderToken.bind(md.renderer);
  md.renderer.rules.link_open = (tokens, index, options) => {
    tokens[index]?.attrSet('rel', LINK_REL);
    return renderToken(tokens, index, options);
  };
  return md;
}

const linkifying = renderer(true);
const plain = renderer(false);

function addressCount(source: string): number {
  let count = 0;
  ADDRESS_START.lastIndex = 0;
  while (ADDRESS_START.exec(source) && count <= ADDRESSES_MAX) count++;
  return count;
}

/**
 * Renders a comment's markdown to HTML that is safe to insert into any page.
 *
 * @example renderMarkdown('**hi** <b>') // '<p><strong>hi</strong> &lt;b&gt;</p>\n'
 */
export function renderMarkdown(source: string): string {
  return plainTextHtml(source) ?? markdownItHtml(source);
}

/** What markdown-it makes of a comment, with no shortcut. */
export function markdownItHtml(source: string): string {
  return (addressCount(source) > ADDRESSES_MAX ? plain : linkifying).render(source);
}

/*
 * Most comments are a few lines of prose, and running markdown-it on them was a tenth of the work of a post. Text
 * that holds nothing markdown-it (or linkify) could read as syntax renders as markdown-it would render it here:
 * paragraphs split at blank lines, line breaks as `<br>` (breaks: true), `"` escaped. Anything else goes to
 * markdown-it. Refused: every ASCII character but letters, digits, space, newline and `.,;:?!'"()%-`; any other
 * whitespace (trimmed or taken as indentation by markdown-it); a line starting or ending with a space, or starting
 * with a digit or `-` (a list, a rule); a `.` or `:` followed by something other than a space or newline (a host name,
 * a scheme). tests/unit/markdown-plain.test.ts holds it to markdown-it over generated texts.
 */
const NOT_PLAIN = /[^\p{L}\p{M}\p{N}\p{S}\p{P} \n]|[#$&*+/<->@[-`{-~]|[.:][^ \n]|(?:^|\n)[ \d-]| $| \n/u;

/** The HTML of a text without markdown syntax, as markdown-it gives it; undefined when the text may hold some. */
export function plainTextHtml(source: string): string | undefined {
  if (NOT_PLAIN.test(source)) return undefined;
  let html = '';
  for (const paragraph of source.split(/\n{2,}/)) {
    if (paragraph === '' || paragraph === '\n') continue;
    const lines = paragraph
      .replaceAll('"', '&quot;')
      .split('\n')
      .filter((line, index, all) => {
        // A paragraph's leading and trailing newline are those of the text (one, or the rest of a run of them).
        return line !== '' || (index !== 0 && index !== all.length - 1);
      });
    if (lines.length > 0) html += `<p>${lines.join('<br>\n')}</p>\n`;
  }
  return html;
}
