import type { Theme } from './options.ts';

/**
 * Whether the page behind the widget is dark: the first painted background up from the container decides, so
 * the widget matches pages with their own theme switch as well as those following `prefers-color-scheme`.
 */
function pageIsDark(from: Element, prefersDark: boolean): boolean {
  for (let element: Element | null = from; element; element = element.parentElement) {
    const color = getComputedStyle(element).backgroundColor;
    const [r = 0, g = 0, b = 0, alpha = 1] = (color.match(/[\d.]+/g) ?? []).map(Number);
    if (color.startsWith('rgb') && alpha > 0.5) return r * 0.299 + g * 0.587 + b * 0.114 < 128;
  }
  // Nothing painted: the canvas is dark only if the page opted into a dark color-scheme.
  return prefersDark && getComputedStyle(document.documentElement).colorScheme.includes('dark');
}

/**
 * Calls `apply` now, and returns what calls it again: whenever the page's look may have changed, once given to
 * `watchTheme` (theme-watch.ts, a chunk loaded after the first paint).
 */
export function followTheme(theme: Theme, host: Element, apply: (dark: boolean) => void): () => void {
  const check = () =>
    apply(
      theme === 'dark' ||
        (theme === 'auto' && pageIsDark(host, matchMedia('(prefers-color-scheme: dark)').matches)),
    );
  check();
  return check;
}
