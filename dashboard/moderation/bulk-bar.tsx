import { useEffect, useRef } from 'preact/hooks';
import type { ModAction, ModComment } from './types.ts';

const BULK: Array<[ModAction, string]> = [
  ['approve', 'Approve'],
  ['spam', 'Spam'],
  ['delete', 'Delete'],
];

/** "Select all on page", how many are selected, the bulk actions, and the way to the shortcut help. */
export function BulkBar({
  comments,
  selected,
  busy,
  onSelect,
  onAction,
  onHelp,
}: {
  comments: ModComment[];
  selected: ReadonlySet<string>;
  busy: boolean;
  onSelect: (next: ReadonlySet<string>) => void;
  onAction: (action: ModAction) => void;
  onHelp: () => void;
}) {
  const all = useRef<HTMLInputElement>(null);
  const count = comments.filter((comment) => selected.has(comment.id)).length;
  const every = count > 0 && count === comments.length;
  useEffect(() => {
    if (all.current) all.current.indeterminate = count > 0 && !every;
  }, [count, every]);

  return (
    <fieldset class="bulk">
      <legend class="sr">Selection</legend>
      <label class="check">
        <input
          ref={all}
          type="checkbox"
          checked={every}
          disabled={comments.length === 0}
          onChange={(event) =>
            onSelect(new Set(event.currentTarget.checked ? comments.map((comment) => comment.id) : []))
          }
        />
        Select all on page
      </label>
      <span class="dim" aria-live="polite">
        {count} selected
      </span>
      <span class="acts">
        {BULK.map(([action, label]) => (
          <button key={action} type="button" disabled={busy || count === 0} onClick={() => onAction(action)}>
            {label}
          </button>
        ))}
      </span>
      <button type="button" class="l help" onClick={onHelp} aria-keyshortcuts="?">
        Keyboard shortcuts
      </button>
    </fieldset>
  );
}
