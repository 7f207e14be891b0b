import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/*
 * Translations are keyed by the widget's English strings (widget/i18n.ts). Rewording one in the code would quietly
 * leave its translation behind, and a new string would quietly stay in English: these tests say so instead.
 */

const WIDGET = 'widget';

/** Every English string the widget shows: the literal arguments of `t()`, and the failure messages of i18n.ts. */
function englishStrings(): Set<string> {
  const found = new Set<string>();
  for (const name of readdirSync(WIDGET).filter((file) => /\.tsx?$/.test(file))) {
    const source = readFileSync(`${WIDGET}/${name}`, 'utf8');
    const calls = source.matchAll(/\bt\(\s*(['"])((?:\\.|(?!\1).)*)\1/g);
    for (const [, , text] of calls) found.add(unquote(text));
    if (name !== 'i18n.ts') continue;
    const failures = source.slice(source.indexOf('export const FAILURES'));
    const table = failures.slice(0, failures.indexOf('};'));
    for (const [, , text] of table.matchAll(/^\s+\w+: (['"])(.*)\1,$/gm)) found.add(unquote(text));
    const [, , fallback] = source.match(/SERVER_FAILED = (['"])(.*)\1;/) ?? [];
    found.add(unquote(fallback));
  }
  return found;
}

const unquote = (text = '') => text.replace(/\\(.)/g, '$1');

const placeholders = (text: string) => [...text.matchAll(/\{\w+\}/g)].map(([name]) => name).sort();

describe('the widget’s translations', () => {
  const english = englishStrings();

  it('finds the English strings it checks against', () => {
    expect(english).toContain('Leave a comment');
    expect(english).toContain('Reply to {name}');
    expect(english).toContain('Too late to change this comment.');
    expect(english).toContain('The server had a problem. Your text is kept; try again soon.');
  });

  for (const file of readdirSync(`${WIDGET}/i18n`)) {
    const words = JSON.parse(readFileSync(`${WIDGET}/i18n/${file}`, 'utf8')) as Record<string, string>;

    it(`${file} translates only strings the widget uses`, () => {
      const stale = Object.keys(words).filter((key) => !english.has(key));
      expect(stale, 'reworded or removed in the widget: update the translation').toEqual([]);
    });

    it(`${file} translates every string the widget uses`, () => {
      const missing = [...english].filter((text) => !(text in words));
      expect(missing, 'new in the widget: add the translation').toEqual([]);
    });

    it(`${file} keeps the placeholders`, () => {
      const changed = Object.entries(words).filter(
        ([key, text]) => placeholders(key).join() !== placeholders(text).join(),
      );
      expect(changed).toEqual([]);
    });
  }
});
