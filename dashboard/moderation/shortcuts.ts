import { useEffect, useRef } from 'preact/hooks';

export type Shortcut = 'next' | 'previous' | 'approve' | 'spam' | 'delete' | 'select' | 'help';

/** The keys of the moderation lists, as listed in the help sheet. */
export const SHORTCUTS: Array<[key: string, shortcut: Shortcut, meaning: string]> = [
  ['j', 'next', 'Next comment'],
  ['k', 'previous', 'Previous comment'],
  ['a', 'approve', 'Approve the comment'],
  ['s', 'spam', 'Mark the comment as spam'],
  ['d', 'delete', 'Delete the comment'],
  ['x', 'select', 'Select or unselect the comment'],
  ['?', 'help', 'Show these shortcuts'],
];

const BY_KEY = new Map(SHORTCUTS.map(([key, shortcut]) => [key, shortcut]));

/** Whether a key press belongs to something the person is typing into, not to the page. */
function typing(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  // A checkbox or a button takes no text: the shortcuts keep working while one has focus.
  return (
    target instanceof HTMLInputElement && !['checkbox', 'radio', 'button', 'submit'].includes(target.type)
  );
}

/**
 * Calls `handler` for the single-key shortcuts while `enabled`. Keys typed into a field, pressed with a modifier, or
 * pressed while a modal dialog is open are left alone.
 */
export function useShortcuts(enabled: boolean, handler: (shortcut: Shortcut) => void): void {
  const latest = useRef(handler);
  latest.current = handler;
  useEffect(() => {
    if (!enabled) return;
    const listener = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || event.isComposing)
        return;
      if (typing(event.target) || document.querySelector('dialog[open]')) return;
      const shortcut = BY_KEY.get(event.key);
      if (!shortcut) return;
      event.preventDefault();
      latest.current(shortcut);
    };
    document.addEventListener('keydown', listener);
    return () => document.removeEventListener('keydown', listener);
  }, [enabled]);
}
