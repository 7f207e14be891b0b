import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import {
  chooseLanguage,
  LANGUAGES,
  loadLanguage,
  RIGHT_TO_LEFT,
  type Translation,
  t,
} from '../../widget/i18n.ts';

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
    if (name !== 'failures.ts') continue;
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

  it('has a dictionary for every language it offers, at least ten besides English, one read right to left', () => {
    const files = readdirSync(`${WIDGET}/i18n`).map((file) => file.replace(/\.json$/, ''));
    expect(files.sort()).toEqual([...LANGUAGES].sort());
    expect(LANGUAGES.length).toBeGreaterThanOrEqual(10);
    expect(RIGHT_TO_LEFT.filter((code) => LANGUAGES.includes(code)).length).toBeGreaterThan(0);
  });

  it('finds the English strings it checks against', () => {
    expect(english).toContain('Leave a comment');
    expect(english).toContain('Reply to {name}');
    expect(english).toContain('Too late to change this comment.');
    expect(english).toContain('The server had a problem. Your text is kept; try again soon.');
  });

  for (const file of readdirSync(`${WIDGET}/i18n`)) {
    const words = JSON.parse(readFileSync(`${WIDGET}/i18n/${file}`, 'utf8')) as Record<string, Translation>;

    it(`${file} translates only strings the widget uses`, () => {
      const stale = Object.keys(words).filter((key) => !english.has(key));
      expect(stale, 'reworded or removed in the widget: update the translation').toEqual([]);
    });

    it(`${file} translates every string the widget uses`, () => {
      const missing = [...english].filter((text) => !(text in words));
      expect(missing, 'new in the widget: add the translation').toEqual([]);
    });

    it(`${file} keeps the placeholders, and gives plural forms only to counts`, () => {
      const changed = Object.entries(words).filter(([key, text]) =>
        typeof text === 'string'
          ? placeholders(key).join() !== placeholders(text).join()
          : // A plural form may spell its number out ("two comments"), but names no other placeholder.
            !key.includes('{n}') ||
            !text.other ||
            Object.values(text).some((form) => placeholders(form).some((name) => !key.includes(name))),
      );
      expect(changed).toEqual([]);
    });
  }
});

describe('choosing and speaking a language', () => {
  it('takes the first well-formed tag of data-lang, the page and the browser, if it has that language', () => {
    expect(chooseLanguage('de', 'fr', 'en-US')).toBe('de');
    expect(chooseLanguage(undefined, 'pt-BR', 'en-US')).toBe('pt-BR');
    expect(chooseLanguage('', '', 'ja-JP')).toBe('ja-JP');
    // A tag it cannot speak means English, not the next one: the page said which language it is in.
    expect(chooseLanguage(undefined, 'sv', 'de')).toBe('en');
    expect(chooseLanguage('not a tag!', 'x', 'AR')).toBe('AR');
    expect(chooseLanguage(undefined, undefined, undefined)).toBe('en');
  });

  it('fetches a dictionary, picks plural forms by count and writes numbers the language’s way', async () => {
    const requested: string[] = [];
    const server = createServer((request, response) => {
      requested.push(request.url ?? '');
      const code = /^\/i18n\/([a-z]+)\.json$/.exec(request.url ?? '')?.[1] ?? '';
      if (!LANGUAGES.includes(code)) return void response.writeHead(404).end();
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(readFileSync(`${WIDGET}/i18n/${code}.json`));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      await loadLanguage(origin, 'en-GB');
      expect(requested).toEqual([]);
      expect(t('{n} comments', { n: 1200 })).toBe('1,200 comments');

      await loadLanguage(origin, 'pl');
      expect([2, 5, 22, 1200].map((n) => t('{n} comments', { n }))).toEqual([
        '2 komentarze',
        '5 komentarzy',
        '22 komentarze',
        '1200 komentarzy',
      ]);
      await loadLanguage(origin, 'ru');
      expect([3, 11, 21].map((n) => t('{n} comments', { n }))).toEqual([
        '3 комментария',
        '11 комментариев',
        '21 комментарий',
      ]);
      await loadLanguage(origin, 'ar');
      expect(t('{n} comment', { n: 1 })).toBe('تعليق واحد');
      expect(t('{n} comments', { n: 2 })).toBe('تعليقان');
      expect(t('{n} comments', { n: 3 })).toBe('3 تعليقات');
      await loadLanguage(origin, 'de-DE');
      expect(t('{n} comments', { n: 1200 })).toBe('1.200 Kommentare');
      expect(t('Reply to {name}', { name: 'Ada' })).toBe('Ada antworten');
      expect(requested).toEqual(['/i18n/pl.json', '/i18n/ru.json', '/i18n/ar.json', '/i18n/de.json']);
    } finally {
      server.close();
    }
  });
});
