import { html, page } from '../page-shell.ts';

/* The pages a privacy link opens, in the shell shared with the mail pages (server/page-shell.ts). */

export { html, page, pageHeaders } from '../page-shell.ts';

const plural = (count: number, one: string, many = `${one}s`) => `${count} ${count === 1 ? one : many}`;

/** What a proven email has stored, and the two things its owner can do about it. */
export function dataPage(
  token: string,
  email: string,
  stored: { comments: number; pages: number; subscriptions: number },
): string {
  const hidden = `<input type="hidden" name="token" value="${html(token)}">`;
  const mail =
    stored.subscriptions > 0 ? `, and ${plural(stored.subscriptions, 'subscription')} to reply emails` : '';
  return page(
    'Your data',
    `<p>Stored under <strong>${html(email)}</strong>: ${plural(stored.comments, 'comment')}` +
      ` on ${plural(stored.pages, 'page')}${mail}.</p>
<form method="post" action="/privacy">
${hidden}
<input type="hidden" name="action" value="download">
<button type="submit">Download my data</button>
<p>A JSON file: your comments with their pages, your reply email subscriptions, the emails sent to you in the
last 8 days, and anything else kept under this email.</p>
</form>
<form method="post" action="/privacy">
${hidden}
<input type="hidden" name="action" value="erase">
<h2>Erase</h2>
<p>Your comments are removed. A comment others replied to stays as an empty placeholder, without your name or
words, so that the replies keep their place. Reply emails stop, and the emails kept for sending to you are
deleted. This cannot be undone.</p>
<p><input type="checkbox" name="confirm" value="yes" id="confirm" required>
<label for="confirm">Erase everything stored under ${html(email)}</label></p>
<button type="submit">Erase</button>
</form>`,
  );
}

export const erasedPage = (erased: { removed: number; placeholders: number; subscriptions: number }) =>
  page(
    'Erased',
    `<p>${plural(erased.removed, 'comment')} removed, ${erased.placeholders} left as empty placeholders for ` +
      `their replies${erased.subscriptions > 0 ? '; reply emails stopped' : ''}. Nothing else is kept under your ` +
      'email, except a ban a moderator made, which holds only a keyed hash of it.</p>',
  );

export const expiredPage = () =>
  page(
    'This link has expired',
    '<p>Privacy links work for one hour. <a href="/privacy">Ask for a new one</a>.</p>',
  );

/** Where a commenter asks for a link, with a note above the form (an alert, already escaped) after a bad try. */
export const askPage = (note = '') =>
  page(
    'Your comments and your data',
    `${note}<p>Enter the email you gave with your comments. We email you a link to download everything stored ` +
      'under it, or to erase it.</p>' +
      '<form method="post" action="/privacy"><input type="hidden" name="action" value="request">' +
      '<p><label for="email">Email</label><br><input type="email" id="email" name="email" required ' +
      'autocomplete="email" maxlength="254"></p><button type="submit">Email me a link</button></form>',
  );

export const checkMailPage = (email: string) =>
  page(
    'Check your email',
    `<p>If ${html(email)} receives email, a link is on its way. It works for an hour.</p>`,
  );

export const badRequestPage = () =>
  page('Something is missing', '<p>Open the link from your email again.</p>');
