import { describe, expect, it } from 'vitest';
import { confirmMail, wordsFor } from '../../server/mail/messages.ts';
import { MAIL_TRANSLATIONS } from '../../server/mail/translations.ts';
import { EN } from '../../server/mail/words.ts';

/** What a reader's mails say: the confirmation and the replies. Owners' mails stay in English. */
const READER_WORDS = [
  'confirmSubject',
  'confirmIntro',
  'confirmButton',
  'replySubjectOne',
  'replySubjectMany',
  'replyIntro',
  'unsubscribeText',
  'unsubscribeButton',
  'anonymous',
] as const;

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();

describe('mail words', () => {
  it('come in the languages the widget speaks', () => {
    expect(Object.keys(MAIL_TRANSLATIONS).sort()).toEqual(
      ['ar', 'de', 'es', 'fr', 'he', 'it', 'ja', 'nl', 'pl', 'pt', 'ru', 'zh'].sort(),
    );
  });

  for (const [lang, words] of Object.entries(MAIL_TRANSLATIONS)) {
    it(`${lang}: translates every word of a reader's mail, with the English placeholders`, () => {
      for (const key of READER_WORDS) {
        const translated = words[key];
        expect(translated, `${lang}.${key}`).toBeTruthy();
        expect(translated).not.toBe(EN[key]);
        expect(placeholders(translated ?? ''), `${lang}.${key}`).toEqual(placeholders(EN[key]));
      }
    });
  }

  it('falls back from a regional tag to its language, and from an unknown one to English', () => {
    expect(wordsFor('de-AT').confirmButton).toBe(MAIL_TRANSLATIONS.de?.confirmButton);
    expect(wordsFor('xx').confirmButton).toBe(EN.confirmButton);
  });

  it('lays out Arabic and Hebrew mail right to left', () => {
    const mail = (lang: string) =>
      confirmMail({
        to: 'a@example.test',
        lang,
        site: 'Blog',
        page: { title: 'A post', url: 'https://blog.example/a' },
        confirmUrl: 'https://comments.example/mail/confirm?t=c.x',
      });
    expect(mail('ar').html).toContain('dir="rtl"');
    expect(mail('he-IL').html).toContain('dir="rtl"');
    expect(mail('fr').html).not.toContain('dir="rtl"');
  });
});
