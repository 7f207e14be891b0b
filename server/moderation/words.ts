/*
 * Blocked words: case-insensitive, whole words, in any script. A word boundary here is the edge of a run of
 * letters, marks, digits and underscores (Unicode properties), not JavaScript's ASCII-only `\b`, so "ass" does not
 * match "class" and "schön" is found in "Schön!" but not in "schöner".
 */

const WORD_CHAR = '[\\p{L}\\p{M}\\p{N}_]';
const compiled = new Map<string, Array<{ word: string; pattern: RegExp }>>();

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');

function patternsFor(words: readonly string[]) {
  const key = words.join('\n');
  let patterns = compiled.get(key);
  if (!patterns) {
    patterns = words
      .map((word) => word.normalize('NFC').trim())
      .filter((word) => word.length > 0)
      .map((word) => ({
        word,
        // Spaces inside a phrase match any run of whitespace.
        pattern: new RegExp(
          `(?<!${WORD_CHAR})${word.split(/\s+/).map(escapeRegExp).join('\\s+')}(?!${WORD_CHAR})`,
          'iu',
        ),
      }));
    if (compiled.size >= 100) compiled.clear();
    compiled.set(key, patterns);
  }
  return patterns;
}

/**
 * The first blocked word (as the site wrote it) that occurs in one of the texts, if any.
 *
 * @example findBlockedWord(['Buy CHEAP pills'], ['cheap']) // 'cheap'
 */
export function findBlockedWord(texts: readonly string[], words: readonly string[]): string | undefined {
  if (words.length === 0) return undefined;
  const normalized = texts.map((text) => text.normalize('NFC'));
  for (const { word, pattern } of patternsFor(words)) {
    if (normalized.some((text) => pattern.test(text))) return word;
  }
  return undefined;
}

/** How many links a rendered comment holds (markdown links and bare URLs alike). */
export function countLinks(html: string): number {
  return html.match(/<a\s/g)?.length ?? 0;
}
