import type { Comment } from './comment.tsx';
import { t } from './i18n.ts';

/*
 * Quote-reply: "Quote" under a comment opens its reply form (or uses the open one) and adds the text selected in
 * that comment, or the whole comment when nothing of it is selected, as a markdown quote (`> ` before each line).
 */

/** What was selected when the pointer went down on "Quote": a click may clear the selection before it lands. */
let pressed = '';

/** The text selected inside `body`, if any. A shadow tree's selection is its root's. */
function selectedIn(body: HTMLElement): string {
  const root = body.getRootNode() as ShadowRoot & { getSelection?: () => Selection | null };
  const selection = root.getSelection?.() ?? document.getSelection();
  if (!selection || selection.isCollapsed || !selection.rangeCount) return '';
  return body.contains(selection.getRangeAt(0).commonAncestorContainer) ? selection.toString() : '';
}

/** `text` as a markdown quote, followed by an empty line to write after. */
export const quoted = (text: string): string =>
  `${text
    .trim()
    .split(/\n+/)
    .map((line) => `> ${line.trim()}`)
    .join('\n')}\n\n`;

/**
 * Adds the quote at the end of the reply form's text as typing would (an input event: the form keeps its state
 * and draft as for any typing), and leaves the caret after it.
 */
function insert(self: Comment, quote: string) {
  const field = self.self.current?.querySelector<HTMLTextAreaElement>(':scope > form textarea');
  if (!field) return;
  const before = field.value.trimEnd();
  field.value = before ? `${before}\n\n${quote}` : quote;
  field.dispatchEvent(new Event('input', { bubbles: true }));
  field.focus();
  field.setSelectionRange(field.value.length, field.value.length);
}

/** The "Quote" button of a comment that takes replies. */
export function quoteButton(self: Comment) {
  const body = () => self.self.current?.querySelector<HTMLElement>(':scope > .b');
  return (
    <button
      type="button"
      class="l"
      part="action"
      onPointerDown={() => {
        const text = body();
        pressed = text ? selectedIn(text) : '';
      }}
      onClick={() => {
        const text = body();
        if (!text) return;
        // biome-ignore lint/performance/useDomNodeTextContent: its line breaks between paragraphs are wanted.
        const quote = quoted(pressed || selectedIn(text) || text.innerText);
        pressed = '';
        if (self.state.mode === 'reply') insert(self, quote);
        else self.setState({ mode: 'reply' }, () => insert(self, quote));
      }}
    >
      {t('Quote')}
    </button>
  );
}
