/**
 * Calls `check` whenever the page's look may have changed: the system's color scheme, or a class or attribute on
 * `<html>` or `<body>` (where theme switches usually put theirs). For the `auto` theme only; loaded after the first
 * paint, which `followTheme` (theme.ts) got right.
 */
export function watchTheme(check: () => void): void {
  matchMedia('(prefers-color-scheme: dark)').addEventListener('change', check);
  const observer = new MutationObserver(check);
  for (const element of [document.documentElement, document.body]) {
    observer.observe(element, { attributes: true });
  }
}
