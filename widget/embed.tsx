import { render } from 'preact';
import { defineElement, ELEMENT, type Mounted } from './element.ts';
import { loadLanguage } from './i18n.ts';
import { findScript, type Options, pageUrl, readOptions } from './options.ts';
import css from './styles.css?inline';
import { followTheme } from './theme.ts';
import { type Page, Thread } from './thread.tsx';

/**
 * The embed script. A blog adds, where the comments go:
 *
 *   <script src="https://comments.example.com/embed.js" async
 *     data-page-id="hello-world" data-page-title="Hello" data-theme="auto" data-lang="en"
 *     data-site="blog" data-sort="oldest"></script>
 *
 * Every data-* attribute is optional. The widget mounts into the page's `[data-parley]` element if there is one,
 * else right after the script tag, inside an open shadow root.
 *
 * Single-page apps: the script sets `window.parley`. After a client-side navigation (including back and
 * forward), call
 *   parley.reload()                          to re-read the canonical link (or location) and show that page's
 *                                            thread, or
 *   parley.reload({ url, pageId, title })    to show the thread of the page given.
 *
 * Or place `<parley-comments url="…">` elements (widget/element.ts): each shows the thread of its attributes and
 * follows them; `parley.reload()` then refreshes those that follow the page's address.
 */

export interface ParleyApi {
  reload(page?: Partial<Page>): void;
}

declare global {
  interface Window {
    parley?: ParleyApi;
  }
}

/** Shows threads in `host`'s shadow root with these options: the theme followed, the language loaded once. */
function mount(host: HTMLElement, options: Options): Mounted {
  const shadow = host.shadowRoot ?? host.attachShadow({ mode: 'open' });
  // A constructed style sheet, unlike a <style> element, works under a Content-Security-Policy that does not
  // allow inline styles.
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(css);
  shadow.adoptedStyleSheets = [sheet];
  const root = document.createElement('div');
  if (options.lang !== 'en') root.lang = options.lang;
  shadow.replaceChildren(root);
  let live = true;

  // An explicit theme paints its own background (.own): light text must never land on a light page.
  const own = options.theme === 'auto' ? '' : ' own';
  followTheme(options.theme, host, (dark) => {
    if (live) root.className = (dark ? 'p dark' : 'p') + own;
  });

  const ready = loadLanguage(options.origin, options.lang);
  let generation = 0;
  return {
    show(page) {
      // A new key starts the thread afresh: no state from the previous page survives.
      render(<Thread key={++generation} options={options} page={page} ready={ready} root={root} />, root);
    },
    unmount() {
      live = false;
      render(null, root);
    },
  };
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
  // The page's own <parley-comments> elements take what the script says, except the first page's id and title.
  defineElement(
    (data) => readOptions(script, { ...script.dataset, pageId: undefined, pageTitle: undefined, ...data }),
    mount,
    pageUrl,
  );
  // A page that places its threads with <parley-comments> gets no other.
  let host = document.querySelector<HTMLElement>('[data-parley]');
  if (!host && document.querySelector(ELEMENT)) {
    window.parley = {
      reload: () => {
        for (const element of document.querySelectorAll<HTMLElement & { refresh(): void }>(ELEMENT)) {
          element.refresh();
        }
      },
    };
    return;
  }
  if (!host) {
    host = document.createElement('div');
    script.after(host);
  }
  const shown = mount(host, options);
  let first = true;
  const reload = (page: Partial<Page> = {}) => {
    // The script's data-page-id and data-page-title describe the page it was loaded on, not later ones.
    const initial = first ? options : undefined;
    first = false;
    shown.show({
      url: page.url ?? pageUrl(),
      pageId: page.pageId ?? initial?.pageId,
      title: page.title ?? initial?.title,
    });
  };
  window.parley = { reload };
  reload();
}

start();
