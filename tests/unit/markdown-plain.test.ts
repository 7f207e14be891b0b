import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { markdownItHtml, plainTextHtml, renderMarkdown } from '../../server/markdown.ts';

/*
 * The shortcut for plain text must give markdown-it's HTML byte for byte. Texts are built from pieces that sit on
 * the edge of markdown syntax: every ASCII punctuation character, digits and `-` where lists start, spaces where
 * lines start and end, blank lines, other whitespace, dots that are not ASCII, host names and schemes.
 */
const PIECES = [
  'a',
  'Zoë',
  'word',
  'the',
  'www',
  'com',
  'localhost',
  'example',
  'de',
  'http',
  'mailto',
  '1',
  '42',
  '2019',
  ' ',
  ' ',
  ' ',
  '  ',
  '    ',
  '\n',
  '\n',
  '\n\n',
  '\n\n\n',
  '\t',
  '\r',
  '\r\n',
  '\u00a0',
  '\u3000',
  '\u2028',
  '\u200b',
  '\ufeff',
  '\u0000',
  '。',
  '．',
  '’',
  '“',
  '”',
  '—',
  '–',
  '…',
  '👋',
  '我们',
  'e\u0301',
  ...'!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~'.split(''),
  '. ',
  ': ',
  '.com',
  '://',
  'www.',
  '1. ',
  '1) ',
  '- ',
  '---',
  '===',
  '> ',
  '**',
  '__',
  '&amp;',
  '&copy;',
];
const piece = fc.constantFrom(...PIECES);
const anyText = fc.array(piece, { maxLength: 40 }).map((parts) => parts.join(''));

/** Prose-like texts, most of which take the shortcut, so that the equality is tested where it matters. */
const WORDS = [
  'Thanks',
  'it’s',
  'great',
  'y-axis',
  '5 %',
  'Zoë',
  '(really)',
  'ok!',
  'why?',
  'a',
  '“quoted”',
  '"x"',
];
const sentence = fc
  .array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 8 })
  .map((w) => `${w.join(' ')}.`);
const proseText = fc
  .array(fc.tuple(sentence, fc.constantFrom(' ', '\n', '\n\n', '\n\n\n')), { minLength: 1, maxLength: 6 })
  .map((parts) =>
    parts
      .map(([text, gap]) => text + gap)
      .join('')
      .replace(/ $/, ''),
  );

describe('plain text without markdown-it', () => {
  it('gives markdown-it’s HTML byte for byte, or steps aside', () => {
    fc.assert(
      fc.property(fc.oneof(anyText, proseText), (source) => {
        const fast = plainTextHtml(source);
        if (fast !== undefined) expect(fast).toBe(markdownItHtml(source));
      }),
      { numRuns: 20_000 },
    );
  });

  it('takes the shortcut for ordinary prose', () => {
    let taken = 0;
    fc.assert(
      fc.property(proseText, (source) => {
        if (plainTextHtml(source) !== undefined) taken++;
      }),
      { numRuns: 1000 },
    );
    expect(taken).toBeGreaterThan(700);
    expect(renderMarkdown('Thanks — it’s "great".\n\nSee you\nsoon!')).toBe(
      '<p>Thanks — it’s &quot;great&quot;.</p>\n<p>See you<br>\nsoon!</p>\n',
    );
  });

  it('leaves syntax, links and odd whitespace to markdown-it', () => {
    for (const source of [
      '**a**',
      'see example.com',
      'www.x',
      '1. one',
      '- item',
      ' indented',
      'a\u00a0',
      'a\tb',
      'x &amp; y',
      '> quote',
      'a  \nb',
    ]) {
      expect(plainTextHtml(source), source).toBeUndefined();
    }
  });
});
