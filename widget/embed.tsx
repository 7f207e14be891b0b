import { render } from 'preact';
import { loadLanguage, primary, RIGHT_TO_LEFT } from './i18n.ts';
import { findScript, pageUrl, readOptions } from './options.ts';
import { addSheet } from './sheets.ts';
import css from './styles.css?inline';
import { followTheme } from './theme.ts';
import { type Page, Thread } from './thread.tsx';

/**
 * The embed script. A blog adds, where the comments go:
 *
 *   <script src="https://comments.example.com/embed.js" async
 *     data-page-id="hello-world" data-page-title="Hello" data-theme="auto" data-lang="fr"
 *     data-site="blog" data-sort="oldest"></script>
 *
 * Every data-* attribute is optional. Without data-lang, the widget speaks the page's language (`<html lang>`),
 * else the browser's, when it has that language (widget/i18n.ts), else English. The widget mounts into the page's `[data-parley]` element if there is one,
 * else right after the script tag, inside an open shadow root.
 *
 * Single-page apps: the script sets `window.parley`. After a client-side navigation (including back and
 * forward), call
 *   parley.reload()                          to re-read the canonical link (or location) and show that page's
 *                                            thread, or
 *   parley.reload({ url, pageId, title })    to show the thread of the page given.
 */

export interface ParleyApi {
  reload(page?: Partial<Page>): void;
}

declare global {
  interface Window {
    parley?: ParleyApi;
  }
}

function start(): void {
  const script = findScript();
  if (!script) {
    console.error('[parley] Could not find the script tag that loaded embed.js; load it with <script src>.');
    return;
  }
  if (window.parley) {
    console.warn('[parley] embed.js is on this page twice; keep one script tag.');
    return;
  }
  const options = readOptions(script);
  let host = document.querySelector<HTMLElement>('[data-parley]');
  if (!host) {
    host = document.createElement('div');
    script.after(host);
  }
  const shadow = host.attachShadow({ mode: 'open' });
  addSheet(css, shadow);
  const root = document.createElement('div');
  // The language shown, which may not be the page's; Arabic and Hebrew lay the widget out right to left.
  root.setAttribute('part', 'root');
  root.lang = options.lang;
  root.dir = RIGHT_TO_LEFT.includes(primary(options.lang)) ? 'rtl' : 'ltr';
  shadow.append(root);

  // An explicit theme paints its own background (.own): light text must never land on a light page.
  const own = options.theme === 'auto' ? '' : ' own';
  followTheme(options.theme, host, (dark) => {
    root.className = (dark ? 'p dark' : 'p') + own;
  });

  const ready = loadLanguage(options.origin, options.lang);
  let generation = 0;
  const reload = (page: Partial<Page> = {}) => {
    // The script's data-page-id and data-page-title describe the page it was loaded on, not later ones.
    const first = generation ? undefined : options;
    const shown = {
      url: page.url ?? pageUrl(),
      pageId: page.pageId ?? first?.pageId,
      title: page.title ?? first?.title,
    };
    // A new key starts the thread afresh: no state from the previous page survives.
    render(<Thread key={++generation} options={options} page={shown} ready={ready} root={root} />, root);
  };
  window.parley = { reload };
  reload();
}

start();
