import { useEffect, useRef } from 'preact/hooks';
import { SHORTCUTS } from './shortcuts.ts';

/**
 * The keyboard shortcuts, in a modal `<dialog>`: the browser traps focus inside, closes it on Escape and gives
 * focus back to where it was.
 */
export function ShortcutHelp({ open, onClose }: { open: boolean; onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const element = dialog.current;
    if (open && element && !element.open) element.showModal();
    if (!open && element?.open) element.close();
  }, [open]);
  return (
    <dialog ref={dialog} class="sheet" aria-labelledby="shortcut-help-title" onClose={onClose}>
      <h2 id="shortcut-help-title">Keyboard shortcuts</h2>
      <p class="dim">They work anywhere in the list, except while you type in a field.</p>
      <dl class="keys">
        {SHORTCUTS.map(([key, , meaning]) => (
          <div key={key}>
            <dt>
              <kbd>{key}</kbd>
            </dt>
            <dd>{meaning}</dd>
          </div>
        ))}
      </dl>
      <button type="button" class="pri" onClick={() => dialog.current?.close()}>
        Close
      </button>
    </dialog>
  );
}
