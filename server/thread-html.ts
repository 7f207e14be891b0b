import type { CommentRow } from './store/schema.ts';

/*
 * A thread as a plain HTML page, for readers without JavaScript and for search engines: every comment shown, replies
 * nested, each a schema.org `Comment` in microdata. Everything a reader wrote is escaped here, except the comment's
 * HTML, which the server rendered from markdown with raw HTML off when it was written (server/markdown.ts).
 */

export interface ThreadPage {
  /** The blog page the thread belongs to: the canonical URL of this page, and its link back. */
  url: string;
  title: string | null;
  /** Visible comments of the thread, deleted placeholders excluded. */
  commentCount: number;
  /** Visible rows (approved and deleted placeholders) in depth-first order. */
  rows: readonly CommentRow[];
  /** Rows were left out past the page's bound. */
  truncated: boolean;
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text and attribute values made inert: the five characters that could end or open markup. */
export const escapeHtml = (value: string) => value.replace(/[&<>"']/g, (char) => ESCAPES[char] ?? char);

/** Small enough to inline; the page sends a policy that allows only this sheet, by its hash. */
export const THREAD_PAGE_CSS =
  'body{font:1rem/1.6 system-ui,sans-serif;max-width:42rem;margin:0 auto;padding:1rem 1.25rem 3rem}' +
  'ol{list-style:none;padding:0;margin:0}ol ol{padding-left:1.25rem;border-left:2px solid #ddd}' +
  'article{margin:1rem 0}.gone,time{color:#595959}';

function commentHtml(row: CommentRow, children: Map<string | null, CommentRow[]>): string {
  const replies = children.get(row.id) ?? [];
  const nested = replies.length
    ? `<ol>${replies.map((reply) => commentHtml(reply, children)).join('')}</ol>`
    : '';
  if (row.status === 'deleted') {
    return `<li><article id="c-${row.id}"><p class="gone">This comment was deleted.</p>${nested}</article></li>`;
  }
  const created = new Date(row.created_at).toISOString();
  const name = escapeHtml(row.author_name || 'Anonymous');
  return (
    `<li><article id="c-${row.id}" itemprop="comment" itemscope itemtype="https://schema.org/Comment">` +
    `<p><span itemprop="author" itemscope itemtype="https://schema.org/Person"><b itemprop="name">${name}</b></span>` +
    ` · <time itemprop="dateCreated" datetime="${created}">${created.slice(0, 10)}</time>` +
    (row.votes > 0 ? ` · <span itemprop="upvoteCount">${row.votes}</span> up-votes` : '') +
    `</p><div itemprop="text">${row.html}</div>${nested}</article></li>`
  );
}

/** The whole HTML document of one thread. */
export function threadHtml({ url, title, commentCount, rows, truncated }: ThreadPage): string {
  const shown = new Set(rows.map((row) => row.id));
  const children = new Map<string | null, CommentRow[]>();
  for (const row of rows) {
    // A reply whose parent is past the bound cannot be: pages are depth-first, so parents come first.
    const parent = row.parent_id && shown.has(row.parent_id) ? row.parent_id : null;
    children.set(parent, [...(children.get(parent) ?? []), row]);
  }
  const page = escapeHtml(title || url);
  const href = escapeHtml(url);
  const roots = children.get(null) ?? [];
  return (
    '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">' +
    '<meta name="viewport" content="width=device-width, initial-scale=1">' +
    `<title>Comments on ${page}</title><link rel="canonical" href="${href}">` +
    `<style>${THREAD_PAGE_CSS}</style></head>` +
    '<body><main itemscope itemtype="https://schema.org/WebPage">' +
    `<h1>Comments on <a itemprop="url" href="${href}">${page}</a></h1>` +
    `<p><span itemprop="commentCount">${commentCount}</span> ${commentCount === 1 ? 'comment' : 'comments'}</p>` +
    (roots.length
      ? `<ol>${roots.map((row) => commentHtml(row, children)).join('')}</ol>`
      : '<p>No comments yet.</p>') +
    (truncated ? `<p>More comments are on <a href="${href}">the page itself</a>.</p>` : '') +
    '</main></body></html>\n'
  );
}
