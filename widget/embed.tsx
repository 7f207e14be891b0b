import { element, failures } from './chunks.ts';
import { warnChunk } from './lazy.ts';
import { mount } from './mount.tsx';
import { findScript, type Options, pageUrl, readOptions } from './options.ts';
import type { Page } from './thread.tsx';

/**
 * The embed script. A blog adds, where the comments go:
 *
 *   <script src="https://comments.example.com/embed.js" async
 *     data-page-id="hello-world" data-page-title="Hello" data-theme="auto" data-lang="fr"
 *     data-site="blog" data-sort="oldest"></script>
 *
 * Every data-* attribute is optional. Without data-lang, the widget speaks the page's language (`<html lang>`),
 * else the browser's, when it has that language (widget/i18n.ts), else English. The widget mounts into the page's
 * `[data-parley]` element if there is one, else right after the script tag, inside an open shadow root.
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

const ELEMENT = 'parley-comments';

function start(): void {
  const script = findScript();
  // What went wrong is said on the console by a chunk: those words are not worth the first paint's bytes.
  if (!script || window.parley) {
    failures().then((chunk) => chunk.misplaced(!script), warnChunk);
    return;
  }
  const options = readOptions(script);
  // <parley-comments>: the class only hands its elements to the chunk that shows and follows them (element.ts).
  // Defined once: a second embed.js has stopped above.
  customElements.define(
    ELEMENT,
    class extends HTMLElement {
      connectedCallback() {
        element().then((chunk) => chunk.connect(this), warnChunk);
      }
      disconnectedCallback() {
        element.value?.disconnect(this);
      }
    },
  );
  // A page that places its threads with <parley-comments> gets no other; parley.reload() refreshes them.
  let host = document.querySelector<HTMLElement>('[data-parley]');
  if (!host && document.querySelector(ELEMENT)) {
    window.parley = {
      reload: () =>
        element().then((chunk) => {
          for (const each of document.querySelectorAll<HTMLElement>(ELEMENT)) chunk.connect(each);
        }, warnChunk),
    };
    return;
  }
  if (!host) {
    host = document.createElement('div');
    script.after(host);
  }
  const shown = mount(host, options);
  // The script's data-page-id and data-page-title describe the page it was loaded on, not later ones.
  let initial: Partial<Options> = options;
  const reload = (page: Partial<Page> = {}) => {
    shown.show({
      url: page.url ?? pageUrl(),
      pageId: page.pageId ?? initial.pageId,
      title: page.title ?? initial.title,
    });
    initial = {};
  };
  window.parley = { reload };
  reload();
}

start();
