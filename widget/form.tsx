import { Component, createRef, type JSX } from 'preact';
import { BODY_MAX } from '../shared/limits.ts';
import type { Failure } from './api.ts';
import type { Ctx } from './context.ts';
import { t } from './i18n.ts';
import { formMore } from './chunks.ts';
import { afterPaint, warnChunk } from './lazy.ts';
import { loadDraft, saveDraft } from './storage.ts';


export interface FormProps {
  ctx: Ctx;
  /** The form's accessible name: several forms can be open at once. */
  label: string;
  /** The comment answered; absent for a top-level comment. */
  parentId?: string;
  /** Set when the form edits one of the reader's comments instead of writing a new one. */
  editId?: string;
  initial?: string;
  onDone?: () => void;
  onCancel?: () => void;
}

export interface FormState {
  body: string;
  /** The server's rendering of `body` while previewing. */
  html: string | null;
  busy: 'post' | 'preview' | null;
  failure: Failure | null;
  /** The reader asked to change the name and email a reply would be posted with. */
  asking?: boolean;
}

export type Field = 'body' | 'name' | 'email';

/** What a control gets from its field: its id, whether it is required and how it is described. */
export interface Aria {
  id: string;
  required: boolean | undefined;
  'aria-invalid': boolean;
  'aria-describedby': string | undefined;
}

let forms = 0;

/**
 * Writing, replying and editing: one form. A new comment's text is saved as a draft while it is typed and
 * cleared once it is posted; a failed request keeps it and says why.
 *
 * The first paint holds its text field, which takes typing at once; the rest (widget/form-more.tsx) joins it
 * when its chunk is in, in a space kept for it, and around the same text field, which keeps focus and caret.
 */
export class Form extends Component<FormProps, FormState> {
  id = `f${++forms}`;
  /** The key its draft is kept under; none when editing. */
  draft = this.props.editId ? null : this.props.ctx.draftKey(this.props.parentId ?? null);
  /** The pending draft save. */
  timer = 0;
  self = createRef<HTMLFormElement>();
  override state: FormState = {
    body: this.props.initial ?? (this.draft ? loadDraft(this.draft) : ''),
    html: null,
    busy: null,
    failure: null,
  };

  #write(body: string) {
    const draft = this.draft;
    this.setState({ body });
    if (!draft) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => saveDraft(draft, body), 300);
  }

  override componentDidMount() {
    if (!formMore.value) afterPaint(() => formMore().then(() => this.forceUpdate(), warnChunk));
  }

  // Sending, checking and previewing are in the chunk; Enter in a name field may come before it.
  #submit = (event: Event) => {
    event.preventDefault();
    formMore().then((chunk) => chunk.submit(this), warnChunk);
  };

  /** Name, email and the honeypot are plain form fields: read as they are now. */
  read(field: string) {
    return String(new FormData(this.self.current as HTMLFormElement).get(field) ?? '');
  }

  focus(field: Field) {
    this.self.current?.querySelector<HTMLElement>(`#${this.id + field}`)?.focus();
  }

  /**
   * A labelled control; its error, if any, is shown under it and tied to it. Name and email (`need` given) say in
   * their label whether the site requires them.
   */
  field(name: Field, label: string, control: (aria: Aria) => JSX.Element, hint = '', need?: boolean) {
    const id = this.id + name;
    const error = this.state.failure?.fields?.[name];
    const described = [hint && `${id}h`, error && `${id}e`].filter(Boolean).join(' ') || undefined;
    return (
      <div class="fl">
        <label for={id}>
          {label}
          {need !== undefined && ` ${need ? t('(required)') : t('(optional)')}`}
        </label>
        {control({ id, required: need, 'aria-invalid': !!error, 'aria-describedby': described })}
        {hint && (
          <p class="hint" id={`${id}h`}>
            {hint}
          </p>
        )}
        {error && (
          <p class="fe" id={`${id}e`}>
            {error}
          </p>
        )}
      </div>
    );
  }

  override render({ label, onCancel }: FormProps, { body, html }: FormState) {
    const more = formMore.value;
    return (
      <form class="f" part="form" ref={this.self} aria-label={label} onSubmit={this.#submit} noValidate>
        {this.field('body', t('Comment'), (aria) => (
          <>
            <textarea
              {...aria}
              part="field"
              rows={4}
              value={body}
              maxLength={BODY_MAX}
              placeholder={t('What would you like to say?')}
              hidden={html !== null}
              onInput={(event) => this.#write(event.currentTarget.value)}
            />
            {html !== null && <div class="b pv" dangerouslySetInnerHTML={{ __html: html }} />}
          </>
        ))}
        {/* The rest of the form comes with its chunk; until then its place is kept, so nothing below moves. */}
        {more ? more.rest(this, onCancel) : <div class={onCancel ? 'wait r1' : 'wait'} />}
      </form>
    );
  }
}
