import { sha256 } from './crypto.ts';
import { escapeHtml } from './thread-html.ts';

/*
 * The one shell of the small server-rendered pages people reach from a mail: the privacy pages and the pages
 * behind the links in notification mails. No script, one inline style allowed by its hash, every value escaped;
 * they work in any browser, mail clients' built-in ones included.
 */

const STYLE =
  'body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a}' +
  'button{font:inherit;padding:.5rem 1rem;min-height:44px;margin:.25rem 0}' +
  ':focus-visible{outline:3px solid #1d4ed8;outline-offset:2px}form{margin:1.5rem 0}' +
  'blockquote{margin:1rem 0;padding:.25rem 1rem;border-left:3px solid #767676;white-space:pre-wrap}';

let styleHash: Promise<string> | undefined;
const hashOfStyle = () => {
  styleHash ??= sha256(STYLE).then((hex) =>
    btoa(String.fromCharCode(...(hex.match(/../g) ?? []).map((h) => Number.parseInt(h, 16)))),
  );
  return styleHash;
};

/**
 * The headers of every such page: nothing runs, nothing loads, no referrer carries a link's token away, nothing
 * is cached.
 *
 * @example return c.body(page('Confirmed', '<p>Done.</p>'), 200, await pageHeaders());
 */
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

/** Text safe in HTML content and quoted attributes. */
export const html = escapeHtml;

/**
 * A whole page around `body`, which must be escaped already; the title is escaped here.
 *
 * @example page('Unsubscribed', '<p>No more reply emails will come.</p>')
 */
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
