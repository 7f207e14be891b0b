import { type Mounted, mount } from './mount.tsx';
import { findScript, pageUrl, readOptions } from './options.ts';

/*
 * `<parley-comments>`: the widget as a custom element, for single-page apps and pages with more than one thread.
 * It shows the thread of its attributes and follows them: change `url` (or `page-id`, `site`, `lang`, `theme`,
 * `page-title`) and it shows that thread instead, with nothing of the previous one kept.
 *
 *   <parley-comments url="https://blog.example.com/posts/a/" site="blog" theme="dark"></parley-comments>
 *
 * Without `url`, it follows the page: the canonical link, or the address. The element is defined by embed.js, whose
 * class only hands its elements to this chunk, loaded when the first one is connected.
 */

/** The attributes the element follows, as the script's `data-*` names (`page-id` is `pageId`). */
const ATTRIBUTES = ['url', 'page-id', 'page-title', 'site', 'lang', 'theme', 'sort', 'limit'];

interface Shown {
  mounted?: Mounted | undefined;
  queued?: boolean;
  watch: MutationObserver;
}

const shown = new WeakMap<HTMLElement, Shown>();

/**
 * Shows the thread of the element's attributes as they are now, and from then on follows them; several changes in
 * one task render once.
 */
export function connect(element: HTMLElement): void {
  let state = shown.get(element);
  if (!state) {
    state = { watch: new MutationObserver(() => connect(element)) };
    state.watch.observe(element, { attributeFilter: ATTRIBUTES });
    shown.set(element, state);
  }
  const current = state;
  if (current.queued) return;
  current.queued = true;
  queueMicrotask(() => {
    current.queued = false;
    if (!element.isConnected) return;
    const data: Record<string, string | undefined> = {};
    for (const name of ATTRIBUTES) {
      const value = element.getAttribute(name);
      if (value !== null) data[name.replace(/-(\w)/g, (_, letter: string) => letter.toUpperCase())] = value;
    }
    current.mounted?.unmount();
    const script = findScript();
    // The script's own options fill in what the element leaves out, except the first page's id and title.
    const options = readOptions(script as HTMLScriptElement, {
      ...script?.dataset,
      pageId: undefined,
      pageTitle: undefined,
      ...data,
    });
    current.mounted = mount(element, options);
    current.mounted.show({ url: data.url || pageUrl(), pageId: options.pageId, title: options.title });
  });
}

/** Takes the element's thread down, and stops following its attributes until it is connected again. */
export function disconnect(element: HTMLElement): void {
  const state = shown.get(element);
  state?.watch.disconnect();
  state?.mounted?.unmount();
  shown.delete(element);
}
