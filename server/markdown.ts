import MarkdownIt from 'markdown-it';

/*
 * The only place Parley makes HTML out of what a reader wrote. Raw HTML is escaped (html: false), links are
 * limited to http(s) and mailto, and block types that would break the host page's outline (headings, tables) or
 * make readers' browsers fetch third-party content (images) are switched off and show as text.
 */

const SAFE_LINK = /^(https?:\/\/|mailto:)/i;
const LINK_REL = 'nofollow ugc noopener';

const md = new MarkdownIt('default', {
  html: false,
  linkify: true,
  breaks: true,
  typographer: false,
  maxNesting: 20,
});

md.disable(['image', 'heading', 'lheading', 'table']);

// markdown-it hands over the destination after decoding entities and escapes, so `&#106;avascript:` is checked
// as `javascript:`; an allowlist also refuses schemes hidden behind whitespace or control characters.
md.validateLink = (url) => SAFE_LINK.test(url);

const renderToken = md.renderer.renderToken.bind(md.renderer);
md.renderer.rules.link_open = (tokens, index, options) => {
  tokens[index]?.attrSet('rel', LINK_REL);
  return renderToken(tokens, index, options);
};

/**
 * Renders a comment's markdown to HTML that is safe to insert into any page.
 *
 * @example renderMarkdown('**hi** <b>') // '<p><strong>hi</strong> &lt;b&gt;</p>\n'
 */
export function renderMarkdown(source: string): string {
  return md.render(source);
}
