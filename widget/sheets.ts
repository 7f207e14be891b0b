/*
 * The widget's style sheets, adopted by its shadow roots (one per thread: `<parley-comments>` may place several).
 * A constructed style sheet, unlike a <style> element, works under a Content-Security-Policy that does not allow
 * inline styles, and one sheet serves every root. The first paint's sheet comes with embed.js (`adoptSheets`); a
 * chunk that shows more brings its own (`import css from './mine.css?inline'; addSheet(css)`), which every root,
 * present or later, adopts too.
 */

const roots = new Set<ShadowRoot>();
const added: CSSStyleSheet[] = [];

const sheetOf = (css: string) => {
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(css);
  return sheet;
};

/** Gives a shadow root the first paint's sheet and those the chunks added; it adopts later ones as they come. */
export function adoptSheets(root: ShadowRoot, css: string): void {
  roots.add(root);
  root.adoptedStyleSheets = [sheetOf(css), ...added];
}

/** Adds a chunk's sheet to every shadow root of the widget. */
export function addSheet(css: string): void {
  const sheet = sheetOf(css);
  added.push(sheet);
  for (const root of roots) root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
}
