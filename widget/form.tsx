import { Component } from 'preact';
import { BODY_MAX } from '../shared/limits.ts';
import type { Failure } from './api.ts';
import { formMore } from './chunks.ts';
import type { Ctx } from './context.ts';
import { t } from './i18n.ts';
import { afterPaint, warnChunk } from './lazy.ts';
import { loadDraft } from './storage.ts';

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

let forms = 0;

/**
 * Writing, replying and editing: one form. A new comment's text is saved as a draft while it is typed and
 * cleared once it is posted; a failed request keeps it and says why.
 *
 * The first paint shows only its text field, which takes typing at once, and keeps the place of the rest. The
 * rest, and all the form does, come with a chunk after that paint (widget/form-more.tsx), which renders the whole
 * form around the same text field: the element stays, with its focus and caret.
 */
export class Form extends Component<FormProps, FormState> {
  id = `f${++forms}`;
  /** The key its draft is kept under; none when editing. */
  draft = this.props.editId ? null : this.props.ctx.draftKey(this.props.parentId ?? null);
  /** The pending draft save. */
  timer = 0;
  override state: FormState = {
    body: this.props.initial ?? (this.draft ? loadDraft(this.draft) : ''),
    html: null,
    busy: null,
    failure: null,
  };

  override componentDidMount() {
    // What was typed before the chunk came is kept as a draft once it is in.
    if (!formMore.value) {
      afterPaint(() =>
        formMore().then((chunk) => {
          chunk.keepDraft(this);
          this.forceUpdate();
        }, warnChunk),
      );
    }
  }

  /** The text field, the same element before and after the chunk. */
  text(aria?: object) {
    return (
      <textarea
        id={`${this.id}body`}
        {...aria}
        part="field"
        dir="auto"
        rows={4}
        value={this.state.body}
        maxLength={BODY_MAX}
        placeholder={t('What would you like to say?')}
        hidden={this.state.html !== null}
        onInput={(event) => {
          this.setState({ body: event.currentTarget.value });
          formMore.value?.keepDraft(this);
        }}
      />
    );
  }

  override render({ label }: FormProps) {
    return (
      formMore.value?.render(this) ?? (
        <form class="f" part="form" aria-label={label}>
          <div class="fl">
            <label for={`${this.id}body`}>{t('Comment')}</label>
            {this.text()}
          </div>
          {/* A little taller when "Email me replies" is offered under the fields. The first paint has no other form. */}
          <div class={this.props.ctx.mail ? 'wait m' : 'wait'} />
        </form>
      )
    );
  }
}
