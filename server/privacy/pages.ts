import { sha256 } from '../crypto.ts';

/*
 * The small server-rendered pages a privacy link opens: no script, one inline style allowed by its hash, every
 * value escaped. They work in any browser, mail clients' built-in ones included.
 */

const STYLE =
  'body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a}' +
  'button{font:inherit;padding:.5rem 1rem;min-height:44px;margin:.25rem 0}' +
  ':focus-visible{outline:3px solid #1d4ed8;outline-offset:2px}form{margin:1.5rem 0}';

let styleHash: Promise<string> | undefined;
const hashOfStyle = () => {
  styleHash ??= sha256(STYLE).then((hex) =>
    btoa(String.fromCharCode(...(hex.match(/../g) ?? []).map((h) => Number.parseInt(h, 16)))),
  );
  return styleHash;
};

/** The headers of every privacy page: nothing runs, nothing loads, no referrer carries the link's token away. */
export async function pageHeaders(): Promise<Record<string, string>> {
  return {
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Security-Policy': [
      "default-src 'none'",
      `style-src 'sha256-${await hashOfStyle()}'`,
      "form-action 'self'",
      "frame-ancestors 'none'",
      "base-uri 'none'",
    ].join('; '),
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-store',
    'X-Frame-Options': 'DENY',
  };
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
/** Text safe in HTML content and quoted attributes. */
export const html = (value: string) => value.replace(/[&<>"']/g, (ch) => ESCAPES[ch] ?? ch);

/** A whole page around `body`, which must be escaped already. */
export function page(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${html(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<h1>${html(title)}</h1>
${body}
</main>
</body>
</html>
`;
}

/** What a proven email has stored, and the two things its owner can do about it. */
export function dataPage(token: string, email: string, comments: number, pages: number): string {
  const hidden = `<input type="hidden" name="token" value="${html(token)}">`;
  return page(
    'Your data',
    `<p>Stored under <strong>${html(email)}</strong>: ${comments} comment${comments === 1 ? '' : 's'}` +
      ` on ${pages} page${pages === 1 ? '' : 's'}.</p>
<form method="post" action="/privacy">
${hidden}
<input type="hidden" name="action" value="download">
<button type="submit">Download my data</button>
<p>A JSON file: your comments with their pages, and anything else kept under this email.</p>
</form>
<form method="post" action="/privacy">
${hidden}
<input type="hidden" name="action" value="erase">
<h2>Erase</h2>
<p>Your comments are removed. A comment others replied to stays as an empty placeholder, without your name or
words, so that the replies keep their place. This cannot be undone.</p>
<p><input type="checkbox" name="confirm" value="yes" id="confirm" required>
<label for="confirm">Erase everything stored under ${html(email)}</label></p>
<button type="submit">Erase</button>
</form>`,
  );
}

export const erasedPage = (removed: number, placeholders: number) =>
  page(
    'Erased',
    `<p>${removed} comment${removed === 1 ? '' : 's'} removed, ${placeholders} left as empty placeholders for their` +
      ' replies. Nothing else is kept under your email.</p>',
  );

export const expiredPage = () =>
  page(
    'This link has expired',
    '<p>Privacy links work for one hour. Ask for a new one where you left your comment.</p>',
  );

/** Where a commenter asks for a link, with a note above the form (an alert, already escaped) after a bad try. */
export const askPage = (note = '') =>
  page(
    'Your comments and your data',
    `${note}<p>Enter the email you gave with your comments. We mail you a link to download everything stored ` +
      'under it, or to erase it.</p>' +
      '<form method="post" action="/privacy"><input type="hidden" name="action" value="request">' +
      '<p><label for="email">Email</label><br><input type="email" id="email" name="email" required ' +
      'autocomplete="email" maxlength="254"></p><button type="submit">Mail me a link</button></form>',
  );

export const checkMailPage = (email: string) =>
  page(
    'Check your mail',
    `<p>If ${html(email)} receives mail, a link is on its way. It works for an hour.</p>`,
  );

export const badRequestPage = () =>
  page('Something is missing', '<p>Open the link from your mail again.</p>');
