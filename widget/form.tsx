import { Component, createRef, type JSX } from 'preact';
import { BODY_MAX, EMAIL_MAX, NAME_MAX } from '../shared/limits.ts';
import type { Failure } from './api.ts';
import type { Ctx } from './context.ts';
import { describeFailure, t } from './i18n.ts';
import { loadDraft, loadIdentity, saveDraft, saveIdentity } from './storage.ts';

interface FormProps {
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

interface FormState {
  body: string;
  /** The server's rendering of `body` while previewing. */
  html: string | null;
  busy: 'post' | 'preview' | null;
  failure: Failure | null;
}

/** What a control gets from its field: its id and how it is described. */
interface Aria {
  id: string;
  'aria-invalid': boolean;
  'aria-describedby': string | undefined;
}

let forms = 0;

/**
 * Writing, replying and editing: one form. A new comment's text is saved as a draft while it is typed and
 * cleared once it is posted; a failed request keeps it and says why.
 */
export class Form extends Component<FormProps, FormState> {
  id = `f${++forms}`;
  draft = this.props.editId ? null : this.props.ctx.draftKey(this.props.parentId ?? null);
  timer = 0;
  area = createRef<HTMLTextAreaElement>();
  override state: FormState = {
    body: this.props.initial ?? (this.draft ? loadDraft(this.draft) : ''),
    html: null,
    busy: null,
    failure: null,
  };

  write(body: string) {
    const { draft } = this;
    this.setState({ body });
    if (!draft) return;
    clearTimeout(this.timer);
    this.timer = window.setTimeout(() => saveDraft(draft, body), 300);
  }

  fail(failure: Failure) {
    this.setState({ failure, busy: null });
    if (failure.fields?.body) this.area.current?.focus();
  }

  /** Says so and returns true when there is nothing to send. */
  empty() {
    if (this.state.body.trim()) return false;
    this.fail({ code: 'invalid_input', message: '', fields: { body: t('Write something first.') } });
    return true;
  }

  submit = async (event: Event) => {
    event.preventDefault();
    const { ctx, parentId, editId, onDone } = this.props;
    const { body, busy } = this.state;
    if (busy || this.empty()) return;
    this.setState({ busy: 'post', failure: null });
    // Name, email and the honeypot are plain form fields: read them as they are now.
    const data = new FormData(event.currentTarget as HTMLFormElement);
    const read = (field: string) => String(data.get(field) ?? '');
    const who = { name: read('name'), email: read('email') };
    const failed = editId
      ? await ctx.update(editId, body)
      : await ctx.post({ ...who, body, website: read('website'), parentId: parentId ?? null });
    if (failed) return this.fail(failed);
    if (this.draft) {
      clearTimeout(this.timer);
      saveDraft(this.draft, '');
      saveIdentity(who);
    }
    this.setState({ body: '', html: null, busy: null });
    onDone?.();
  };

  togglePreview = async () => {
    if (this.state.html !== null) return this.setState({ html: null });
    if (this.state.busy || this.empty()) return;
    this.setState({ busy: 'preview' });
    const result = await this.props.ctx.preview(this.state.body);
    if (!result.ok) return this.fail(result.failure);
    this.setState({ html: result.value.html, busy: null, failure: null });
  };

  /** A labelled control; its error, if any, is shown under it and tied to it. */
  field(name: 'body' | 'name' | 'email', label: string, control: (aria: Aria) => JSX.Element, hint = '') {
    const { id } = this;
    const error = this.state.failure?.fields?.[name];
    const described =
      [hint && `${id + name}h`, error && `${id + name}e`].filter(Boolean).join(' ') || undefined;
    return (
      <div class="fl">
        <label for={id + name}>{label}</label>
        {control({ id: id + name, 'aria-invalid': !!error, 'aria-describedby': described })}
        {hint && (
          <p class="hint" id={`${id + name}h`}>
            {hint}
          </p>
        )}
        {error && (
          <p class="fe" id={`${id + name}e`}>
            {error}
          </p>
        )}
      </div>
    );
  }

  override render({ label, editId, onCancel }: FormProps, { body, html, busy, failure }: FormState) {
    const who = loadIdentity();
    return (
      <form class="f" aria-label={label} onSubmit={this.submit} noValidate>
        {this.field(
          'body',
          t('Comment'),
          (aria) => (
            <>
              <textarea
                {...aria}
                ref={this.area}
                rows={4}
                value={body}
                maxLength={BODY_MAX}
                hidden={html !== null}
                onInput={(event) => this.write(event.currentTarget.value)}
              />
              {html !== null && <div class="b pv" dangerouslySetInnerHTML={{ __html: html }} />}
            </>
          ),
          t('Markdown: **bold**, _italic_, `code`, [link](https://…), > quote'),
        )}
        {!editId && (
          <div class="who">
            {this.field('name', t('Name'), (aria) => (
              <input
                {...aria}
                name="name"
                defaultValue={who.name}
                placeholder={t('Anonymous')}
                autocomplete="name"
                maxLength={NAME_MAX}
              />
            ))}
            {this.field(
              'email',
              t('Email'),
              (aria) => (
                <input
                  {...aria}
                  name="email"
                  type="email"
                  defaultValue={who.email}
                  autocomplete="email"
                  maxLength={EMAIL_MAX}
                />
              ),
              t('Optional, never shown.'),
            )}
            <div class="sr" aria-hidden="true">
              <input name="website" tabIndex={-1} autocomplete="off" />
            </div>
          </div>
        )}
        <p class="err" role="alert">
          {failure && describeFailure(failure)}
        </p>
        <div class="acts">
          <button type="submit" class="pri">
            {busy === 'post' ? t('Sending…') : editId ? t('Save changes') : t('Post comment')}
          </button>
          <button type="button" onClick={this.togglePreview}>
            {html === null ? t('Preview') : t('Write')}
          </button>
          {onCancel && (
            <button type="button" onClick={onCancel}>
              {t('Cancel')}
            </button>
          )}
        </div>
      </form>
    );
  }
}
