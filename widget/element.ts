import type { Options } from './options.ts';
import type { Page } from './thread.tsx';

/*
 * `<parley-comments>`: the widget as a custom element, for single-page apps and pages with more than one thread.
 * It shows the thread of its attributes and follows them: change `url` (or `page-id`, `site`, `lang`, `theme`,
 * `page-title`) and it shows that thread instead, with nothing of the previous one kept.
 *
 *   <parley-comments url="https://blog.example.com/posts/a/" site="blog" theme="dark"></parley-comments>
 *
 * Without `url`, it follows the page: the canonical link, or the address.
 */

/** A thread shown in an element's shadow root, until it is taken down. */
export interface Mounted {
  show(page: Page): void;
  unmount(): void;
}

export type Mount = (host: HTMLElement, options: Options) => Mounted;

/** The attributes the element follows, as the script's `data-*` names (`page-id` is `pageId`). */
const ATTRIBUTES = ['url', 'page-id', 'page-title', 'site', 'lang', 'theme', 'sort', 'limit'];

export const ELEMENT = 'parley-comments';

/**
 * Defines `<parley-comments>` once. `optionsFor` turns the element's attributes, as `data-*` names, into the
 * widget's options (the script's own options fill in what the element leaves out).
 */
export function defineElement(
  optionsFor: (data: Record<string, string | undefined>) => Options,
  mount: Mount,
  pageUrl: () => string,
): void {
  if (customElements.get(ELEMENT)) return;
  customElements.define(
    ELEMENT,
    class extends HTMLElement {
      static observedAttributes = ATTRIBUTES;
      #shown: Mounted | undefined;
      #queued = false;

      connectedCallback() {
        this.refresh();
      }

      disconnectedCallback() {
        this.#shown?.unmount();
        this.#shown = undefined;
      }

      attributeChangedCallback() {
        if (this.isConnected) this.refresh();
      }

      /** Shows the thread of the attributes as they are now; several changes in one task render once. */
      refresh() {
        if (this.#queued) return;
        this.#queued = true;
        queueMicrotask(() => {
          this.#queued = false;
          if (!this.isConnected) return;
          const data: Record<string, string | undefined> = {};
          for (const name of ATTRIBUTES) {
            const value = this.getAttribute(name);
            if (value !== null)
              data[name.replace(/-(\w)/g, (_, letter: string) => letter.toUpperCase())] = value;
          }
          this.#shown?.unmount();
          const options = optionsFor(data);
          this.#shown = mount(this, options);
          this.#shown.show({ url: data.url || pageUrl(), pageId: options.pageId, title: options.title });
        });
      }
    },
  );
}
