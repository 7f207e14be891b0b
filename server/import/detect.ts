import type { ImportFormat } from './records.ts';

/** How many characters from the start of a file `detectFormat` wants to see. */
export const DETECT_CHARS = 64 * 1024;

/**
 * The format of a file, from its first characters; undefined when none fits.
 *
 * @example detectFormat('<?xml version="1.0"?><rss xmlns:wp="http://wordpress.org/export/1.2/">') // 'wxr'
 */
export function detectFormat(head: string): ImportFormat | undefined {
  if (head.startsWith('SQLite format 3\u0000')) return 'isso';
  const text = head.replace(/^\uFEFF/, '').trimStart();
  if (text.startsWith('<')) {
    if (/xmlns:wp="http:\/\/wordpress\.org\/export\//.test(text)) return 'wxr';
    if (/<disqus[\s>]/.test(text)) return 'disqus';
    return undefined;
  }
  if (!text.startsWith('{')) return undefined;
  if (/^\{\s*"format"\s*:\s*"parley"/.test(text)) return 'parley';
  if (/"commentHex"|"commenters"/.test(text)) return 'commento';
  if (/"locator"\s*:/.test(text) || /^\{\s*"version"\s*:\s*\d+\s*,\s*"users"/.test(text)) return 'remark42';
  return undefined;
}
