import type { Comment } from './comment.tsx';
import { t } from './i18n.ts';

/*
 * Long comments fold: the first paint already shows at most 24em of a comment's text (`.b` in styles.css), so
 * nothing moves when this chunk comes; then a comment whose text is cut gets a "Read more" button
 * (`aria-expanded`) with its other buttons, which shows the rest, and "Show less" folds it again.
 */

const bodyOf = (self: Comment) => self.self.current?.querySelector<HTMLElement>(':scope > .b');

/** Notes whether the comment's text is cut by the fold; called after each render of the comment. */
export function measureFold(self: Comment): void {
  const body = bodyOf(self);
  const long = !!body && (body.classList.contains('o') || body.scrollHeight > body.clientHeight + 1);
  if (long !== !!self.state.long) self.setState({ long });
}

/** "Read more" under a folded comment, "Show less" under an unfolded one. */
export function foldButton(self: Comment) {
  const open = !!self.state.open;
  return (
    self.state.long && (
      <button
        type="button"
        class="l"
        part="action"
        aria-expanded={open}
        onClick={() => {
          // The text's element is Preact's, but its class list only ever changes here.
          bodyOf(self)?.classList.toggle('o', !open);
          self.setState({ open: !open });
        }}
      >
        {open ? t('Show less') : t('Read more')}
      </button>
    )
  );
}
