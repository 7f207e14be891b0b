import type { MailMessage } from './mailer.ts';
import { MAIL_TRANSLATIONS } from './translations.ts';
import { EN, type MailWords } from './words.ts';

/*
 * The words and layout of every mail Parley sends, as a plain text part and an HTML part. Everything a reader
 * wrote (names, comment bodies, page titles) reaches the HTML part only through `escapeHtml`; bodies are shown as
 * the text their author typed, never as markup. Words come from a dictionary per language: English is complete,
 * another language overrides what it translates, and a reader's mails use the language their widget had.
 */

/** Translations by language tag; a missing word falls back to English. Add a language here. */
const LANGUAGES: Record<string, Partial<MailWords>> = { en: EN, ...MAIL_TRANSLATIONS };

/** The words for a language tag (`fr-CA` falls back to `fr`, then English). */
export function wordsFor(lang: string): MailWords {
  const tag = lang.toLowerCase();
  return { ...EN, ...LANGUAGES[tag.split('-')[0] ?? ''], ...LANGUAGES[tag] };
}

export function escapeHtml(value: string): string {
  return value
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/** A subject stays one header line whatever a reader's name holds. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what is removed.
const oneLine = (value: string) => value.replace(/[\u0000-\u001f\u007f]+/g, ' ').slice(0, 200);

/** `{name}` placeholders filled with plain text. */
export function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => String(values[key] ?? whole));
}

/** `{name}` placeholders filled with HTML already made safe (escape the values before). */
const fillHtml = (template: string, values: Record<string, string>) => fill(escapeHtml(template), values);

/** A page as mails name it: its title, or its address. */
export interface MailPage {
  url: string;
  title: string | null;
}

const pageText = (page: MailPage) => (page.title ? `“${page.title}” (${page.url})` : page.url);
const pageHtml = (page: MailPage) =>
  `<a href="${escapeHtml(page.url)}">${escapeHtml(page.title || page.url)}</a>`;

/** A comment as a mail quotes it: its author and what they typed. */
export interface MailComment {
  author: string;
  body: string;
}

const quoteText = (comment: MailComment) =>
  comment.body
    .split('\n')
    .map((line) => `> ${line}`)
    .join('\n');

const quoteHtml = (comment: MailComment) =>
  `<blockquote style="margin:8px 0;padding:4px 12px;border-left:3px solid #999;white-space:pre-wrap">${escapeHtml(
    comment.body,
  )}</blockquote>`;

const button = (href: string, label: string) =>
  `<a href="${escapeHtml(href)}" style="display:inline-block;margin:4px 8px 4px 0;padding:8px 14px;border:1px solid #555;border-radius:4px;color:#111;text-decoration:none">${escapeHtml(label)}</a>`;

/** Languages written right to left among those with mail words. */
const RIGHT_TO_LEFT = /^(ar|he)(-|$)/i;

function document(lang: string, body: string): string {
  return (
    `<!doctype html><html lang="${escapeHtml(lang)}"${RIGHT_TO_LEFT.test(lang) ? ' dir="rtl"' : ''}>` +
    '<head><meta charset="utf-8">' +
    '<meta name="viewport" content="width=device-width"></head>' +
    `<body style="font-family:system-ui,sans-serif;line-height:1.5;color:#111;max-width:640px">${body}</body></html>`
  );
}

/** The headers of a mail a reader can stop with one click (RFC 8058). */
export function unsubscribeHeaders(url: string): Record<string, string> {
  return { 'List-Unsubscribe': `<${url}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' };
}

/** The double opt-in: a reader asked to be mailed replies. */
export function confirmMail(input: {
  to: string;
  lang: string;
  site: string;
  page: MailPage;
  confirmUrl: string;
}): MailMessage {
  const words = wordsFor(input.lang);
  const subject = fill(words.confirmSubject, { site: input.site });
  const text = `${fill(words.confirmIntro, { page: pageText(input.page) })}\n\n${words.confirmButton}: ${input.confirmUrl}\n`;
  const html = document(
    input.lang,
    `<p>${fillHtml(words.confirmIntro, { page: pageHtml(input.page) })}</p><p>${button(input.confirmUrl, words.confirmButton)}</p>`,
  );
  return { to: input.to, subject: oneLine(subject), text, html };
}

/** One reply as a reader's mail shows it. */
export interface MailReply extends MailComment {
  page: MailPage;
}

/** Replies to a reader's comments, one or many in one mail, with one-click unsubscribe. */
export function replyMail(input: {
  to: string;
  lang: string;
  replies: readonly MailReply[];
  unsubscribeUrl: string;
}): MailMessage {
  const words = wordsFor(input.lang);
  const { replies } = input;
  const name = (reply: MailReply) => reply.author || words.anonymous;
  const first = replies[0];
  const subject =
    replies.length === 1 && first
      ? fill(words.replySubjectOne, { name: name(first) })
      : fill(words.replySubjectMany, { count: replies.length });
  const texts = replies.map(
    (reply) =>
      `${fill(words.replyIntro, { name: name(reply), page: pageText(reply.page) })}\n\n${quoteText(reply)}\n`,
  );
  const htmls = replies.map(
    (reply) =>
      `<p>${fillHtml(words.replyIntro, { name: `<b>${escapeHtml(name(reply))}</b>`, page: pageHtml(reply.page) })}</p>${quoteHtml(reply)}`,
  );
  const stop = fill(words.unsubscribeText, { url: input.unsubscribeUrl });
  return {
    to: input.to,
    subject: oneLine(subject),
    text: `${texts.join('\n')}\n--\n${stop}\n`,
    html: document(
      input.lang,
      `${htmls.join('<hr>')}<hr><p style="font-size:90%">${fillHtml(words.unsubscribeText, {
        url: `<a href="${escapeHtml(input.unsubscribeUrl)}">${escapeHtml(words.unsubscribeButton)}</a>`,
      })}</p>`,
    ),
    headers: unsubscribeHeaders(input.unsubscribeUrl),
  };
}

/** A comment for a site's owners and moderators, held or new, with its one-click actions. */
export function moderationMail(input: {
  to: string;
  site: string;
  page: MailPage;
  comment: MailComment;
  held: boolean;
  actions: ReadonlyArray<{ label: 'approve' | 'spam' | 'delete'; url: string }>;
  dashboardUrl: string;
}): MailMessage {
  const words = wordsFor('en');
  const name = input.comment.author || words.anonymous;
  const subject = fill(input.held ? words.heldSubject : words.newSubject, { site: input.site, name });
  const intro = input.held ? words.heldIntro : words.newIntro;
  const text = [
    fill(intro, { page: pageText(input.page) }),
    '',
    `${name}:`,
    quoteText(input.comment),
    '',
    ...input.actions.map((action) => `${words[action.label]}: ${action.url}`),
    '',
    words.linksNote,
    fill(words.preferencesNote, { url: input.dashboardUrl }),
    '',
  ].join('\n');
  const html = document(
    'en',
    `<p>${fillHtml(intro, { page: pageHtml(input.page) })}</p><p><b>${escapeHtml(name)}</b>:</p>${quoteHtml(
      input.comment,
    )}<p>${input.actions.map((action) => button(action.url, words[action.label])).join('')}</p>` +
      `<p style="font-size:90%">${escapeHtml(words.linksNote)}<br>${fillHtml(words.preferencesNote, {
        url: `<a href="${escapeHtml(input.dashboardUrl)}">${escapeHtml(input.dashboardUrl)}</a>`,
      })}</p>`,
  );
  return { to: input.to, subject: oneLine(subject), text, html };
}
