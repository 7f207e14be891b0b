import type { FeedComment } from '../store/feed-store.ts';

/*
 * Atom (RFC 4287) written by hand: a few elements, every text escaped. Reader text goes into text nodes only, and
 * the comment's HTML (already rendered and sanitized when it was written) goes in escaped, as `type="html"`, so a
 * `<script>` in a comment is characters to a feed reader, never markup.
 */

// XML 1.0 allows tab, newline, carriage return and U+0020 upwards, less U+FFFE and U+FFFF (and lone surrogates,
// which the API already turned into U+FFFD).
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters removed.
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

/** Text safe inside an element or a quoted attribute. */
export const xmlText = (value: string) =>
  value.replace(NOT_XML, '').replace(/[&<>"']/g, (ch) => ESCAPES[ch] ?? ch);

const iso = (ms: number) => new Date(ms).toISOString();

export interface AtomFeed {
  /** The feed's own address: its `id` and `rel="self"` link. */
  self: string;
  title: string;
  /** The page the feed is about (a thread's), if any. */
  alternate?: string;
  /** When the feed changed last, for an empty feed; otherwise the newest entry's time. */
  updatedFallback: number;
  /** Where an entry's permanent id is made from: `<entryBase><comment id>`. */
  entryBase: string;
  comments: readonly FeedComment[];
}

const pageName = (comment: FeedComment) => comment.thread_title || comment.thread_url;

function entry(feed: AtomFeed, comment: FeedComment): string {
  const author = comment.author_name || 'Anonymous';
  const updated = comment.edited_at ?? comment.created_at;
  return [
    '<entry>',
    `<id>${xmlText(feed.entryBase + comment.id)}</id>`,
    `<title>${xmlText(`${author} on ${pageName(comment)}`)}</title>`,
    `<author><name>${xmlText(author)}</name></author>`,
    `<link rel="alternate" type="text/html" href="${xmlText(comment.thread_url)}"/>`,
    `<published>${iso(comment.created_at)}</published>`,
    `<updated>${iso(updated)}</updated>`,
    `<content type="html">${xmlText(comment.html)}</content>`,
    '</entry>',
  ].join('\n');
}

/**
 * The feed as an XML document.
 *
 * @example atomFeed({ self: 'https://c.example/api/feed.atom?site=blog', title: 'Comments on Blog', … })
 */
export function atomFeed(feed: AtomFeed): string {
  const updated = Math.max(
    feed.updatedFallback,
    ...feed.comments.map((comment) => comment.edited_at ?? comment.created_at),
  );
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom">',
    `<id>${xmlText(feed.self)}</id>`,
    `<title>${xmlText(feed.title)}</title>`,
    `<updated>${iso(updated)}</updated>`,
    `<link rel="self" type="application/atom+xml" href="${xmlText(feed.self)}"/>`,
    ...(feed.alternate ? [`<link rel="alternate" type="text/html" href="${xmlText(feed.alternate)}"/>`] : []),
    '<generator>Parley</generator>',
    ...feed.comments.map((comment) => entry(feed, comment)),
    '</feed>',
    '',
  ].join('\n');
}
