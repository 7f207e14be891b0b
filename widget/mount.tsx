import { render } from 'preact';
import { writing } from './chunks.ts';
import { loadLanguage, primary, RIGHT_TO_LEFT } from './i18n.ts';
import { afterPaint, warnChunk } from './lazy.ts';
import type { Options } from './options.ts';
import { adoptSheets } from './sheets.ts';
import css from './styles.css?inline';
import { followTheme } from './theme.ts';
import { type Page, Thread } from './thread.tsx';

/** A thread shown in an element's shadow root, until it is taken down. */
export interface Mounted {
  show(page: Page): void;
  unmount(): void;
}

/** Shows threads in `host`'s shadow root with these options: the theme followed, the language loaded once. */
export function mount(host: HTMLElement, options: Options): Mounted {
  const shadow = host.shadowRoot ?? host.attachShadow({ mode: 'open' });
  adoptSheets(shadow, css);
  const root = document.createElement('div');
  // The language shown, which may not be the page's; Arabic and Hebrew lay the widget out right to left.
  root.setAttribute('part', 'root');
  root.lang = options.lang;
  root.dir = RIGHT_TO_LEFT.includes(primary(options.lang)) ? 'rtl' : 'ltr';
  shadow.replaceChildren(root);
  let live = true;

  // An explicit theme paints its own background (.own): light text must never land on a light page.
  const own = options.theme === 'auto' ? '' : ' own';
  const check = followTheme(options.theme, host, (dark) => {
    if (live) root.className = (dark ? 'p dark' : 'p') + own;
  });
  // The page's later switches are followed from the chunk that writes on.
  if (!own) afterPaint(() => writing().then((chunk) => chunk.watchTheme(check), warnChunk));

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
