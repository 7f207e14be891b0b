import { HtmlValidate } from 'html-validate';
import { describe, expect, it } from 'vitest';
import {
  askPage,
  badRequestPage,
  checkMailPage,
  dataPage,
  erasedPage,
  expiredPage,
  page,
} from '../../server/privacy/pages.ts';

const validator = new HtmlValidate({ extends: ['html-validate:recommended'] });

async function problems(html: string) {
  const report = await validator.validateString(html);
  return report.results.flatMap((result) =>
    result.messages.map((message) => `${message.ruleId}: ${message.message}`),
  );
}

describe('privacy pages', () => {
  it('are valid HTML with labelled controls', async () => {
    for (const html of [
      dataPage('tok-en_123', 'ada@example.org', { comments: 3, pages: 2, subscriptions: 1 }),
      erasedPage({ removed: 2, placeholders: 1, subscriptions: 1 }),
      expiredPage(),
      badRequestPage(),
      askPage('<p role="alert">Enter an email address.</p>'),
      checkMailPage('ada@example.org'),
    ]) {
      expect(await problems(html)).toEqual([]);
    }
  });

  it('escape what they show, so an email or a title never becomes markup', () => {
    const html = dataPage('"><script>x</script>', '<img src=x onerror=alert(1)>@example.org', {
      comments: 1,
      pages: 1,
      subscriptions: 0,
    });
    expect(html).not.toContain('<script>x');
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;@example.org');
    expect(page('<b>Title</b>', '')).toContain('<title>&lt;b&gt;Title&lt;/b&gt;</title>');
  });
});
