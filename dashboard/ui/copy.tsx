import { useState } from 'preact/hooks';
import { Field } from './field.tsx';

/**
 * Text to copy (a snippet, an invite link), shown in full and selectable, with a button that copies it. `oneLine`
 * shows it in a one-line box that scrolls sideways, for a line that must be pasted as one.
 */
export function CopyText({ label, text, oneLine }: { label: string; text: string; oneLine?: boolean }) {
  const [copied, setCopied] = useState<'' | 'yes' | 'no'>('');
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied('yes');
    } catch {
      setCopied('no');
    }
  };
  return (
    <div class="copy">
      <Field label={label}>
        {(control) =>
          oneLine ? (
            <input
              {...control}
              class="code one-line"
              readOnly
              spellcheck={false}
              value={text}
              onFocus={(event) => event.currentTarget.select()}
            />
          ) : (
            <textarea
              {...control}
              class="code"
              readOnly
              rows={Math.min(4, Math.ceil(text.length / 60))}
              value={text}
              onFocus={(event) => event.currentTarget.select()}
            />
          )
        }
      </Field>
      <div class="acts">
        <button type="button" onClick={copy}>
          Copy {label.toLowerCase()}
        </button>
        <span role="status" class="dim">
          {copied === 'yes'
            ? 'Copied.'
            : copied === 'no'
              ? 'Could not copy: select the text and copy it by hand.'
              : ''}
        </span>
      </div>
    </div>
  );
}
