/*
 * The widget's style sheets, adopted by its shadow root. A constructed style sheet, unlike a <style> element,
 * works under a Content-Security-Policy that does not allow inline styles. The first paint's sheet comes with
 * embed.js; a chunk that shows more brings its own (`import css from './mine.css?inline'; addSheet(css)`).
 */

let shadow: ShadowRoot | undefined;

/** Adds a sheet to the widget's shadow root; the first call names that root. */
export function addSheet(css: string, root: ShadowRoot | undefined = shadow): void {
  if (!root) return;
  shadow = root;
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(css);
  root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
}
