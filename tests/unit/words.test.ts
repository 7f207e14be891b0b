import { describe, expect, it } from 'vitest';
import { countLinks, findBlockedWord } from '../../server/moderation/words.ts';

describe('blocked words', () => {
  it.each([
    ['any case', ['Buy CHEAP pills'], ['cheap'], 'cheap'],
    ['the word as the site wrote it', ['cheap'], ['ChEaP'], 'ChEaP'],
    ['letters beyond ASCII, in any case', ['GRÜSSE an alle', 'ÜBER'], ['über'], 'über'],
    ['punctuation around the word', ['(casino)!'], ['casino'], 'casino'],
    ['a phrase across any whitespace', ['free\n  money'], ['free money'], 'free money'],
    ['regular-expression characters literally', ['a c++ b'], ['c++'], 'c++'],
    ['the name as well as the body', ['fine', 'Casino Bob'], ['casino'], 'casino'],
    ['composed and decomposed forms alike', ['cafe\u0301 noir'], ['café'], 'café'],
  ])('finds %s', (_label, texts, words, found) => {
    expect(findBlockedWord(texts, words)).toBe(found);
  });

  it.each([
    ['inside a longer word', ['classic'], ['ass']],
    ['inside a word of another script', ['schöner'], ['schön']],
    ['next to an underscore or a digit', ['free_money casino2'], ['free', 'casino']],
    ['nothing when the list is empty', ['anything'], []],
  ])('finds nothing %s', (_label, texts, words) => {
    expect(findBlockedWord(texts, words)).toBeUndefined();
  });
});

describe('links', () => {
  it('counts markdown links and bare URLs in the rendered HTML', () => {
    expect(countLinks('<p><a href="https://a">a</a> and <a href="https://b">https://b</a></p>')).toBe(2);
    expect(countLinks('<p>no links, not even <abbr>this</abbr></p>')).toBe(0);
  });
});
