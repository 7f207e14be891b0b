import { Component, createRef, type JSX } from 'preact';
import { BODY_MAX, EMAIL_MAX, NAME_MAX } from '../shared/limits.ts';
import type { Failure } from './api.ts';
import type { Ctx } from './context.ts';
import { describeFailure, t } from './i18n.ts';
import { notifyFields } from './notify.ts';
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
  /** The reader asked to change the name and email a reply would be posted with. */
  asking?: boolean;
}

type Field = 'body' | 'name' | 'email';

/** What a control gets from its field: its id, whether it is required and how it is described. */
interface Aria {
  id: string;
  required: boolean | undefined;
  'aria-invalid': boolean;
  'aria-describedby': string | undefined;
}

let forms = 0;

/**
 * Writing, replying and editing: one form. A new comment's text is saved as a draft while it is typed and
 * cleared once it is posted; a failed request keeps it and says why.
 */
export class Form extends Component<FormProps, FormState> {
  #id = `f${++forms}`;
  #draft = this.props.editId ? null : this.props.ctx.draftKey(this.props.parentId ?? null);
  #timer = 0;
  #self = createRef<HTMLFormElement>();
  override state: FormState = {
    body: this.props.initial ?? (this.#draft ? loadDraft(this.#draft) : ''),
    html: null,
    busy: null,
    failure: null,
  };

  #write(body: string) {
    const draft = this.#draft;
    this.setState({ body });
    if (!draft) return;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => saveDraft(draft, body), 300);
  }

  /** Shows why, and moves focus to the first field it names. */
  #fail(failure: Failure) {
    this.setState({ failure, busy: null });
    const first = (['body', 'name', 'email'] as const).find((field) => failure.fields?.[field]);
    if (first) this.#focus(first);
  }

  /**
   * Says what is missing and returns true when something is: the text, and for a new comment (`who` given) the
   * name or email the site requires, or the email "Email me replies" needs.
   */
  #missing(who?: Record<'name' | 'email', string>) {
    const fields: Record<string, string> = {};
    if (!this.state.body.trim()) fields.body = t('Write something first.');
    for (const field of ['name', 'email'] as const) {
      if (who && this.props.ctx.need[field] && !who[field].trim())
        fields[field] = t('This site asks for it.');
    }
    if (who && !who.email.trim() && this.#read('notify')) fields.email = t('Replies are sent to it.');
    if (!Object.keys(fields).length) return false;
    this.#fail({ code: 'invalid_input', message: '', fields });
    return true;
  }

  #submit = async (event: Event) => {
    event.preventDefault();
    const { ctx, parentId, editId, onDone } = this.props;
    const { body, busy } = this.state;
    const who = this.#who();
    if (busy || this.#missing(editId ? undefined : who)) return;
    this.setState({ busy: 'post', failure: null });
    const failed = editId
      ? await ctx.update(editId, body)
      : await ctx.post({
          ...who,
          body,
          website: this.#read('website'),
          parentId: parentId ?? null,
          ...notifyFields(who.email, !!this.#read('notify'), ctx.lang),
        });
    if (failed) return this.#fail(failed);
    if (this.#draft) {
      clearTimeout(this.#timer);
      saveDraft(this.#draft, '');
    }
    this.setState({ body: '', html: null, busy: null });
    onDone?.();
  };

  /** Name, email and the honeypot are plain form fields: read as they are now. */
  #read(field: string) {
    return String(new FormData(this.#self.current as HTMLFormElement).get(field) ?? '');
  }

  #who() {
    return { name: this.#read('name'), email: this.#read('email') };
  }

  /** Name and email are remembered as soon as they are given, so that a reply opened next does not ask again. */
  #keep = () => saveIdentity(this.#who());

  #ask = () => this.setState({ asking: true }, () => this.#focus('name'));

  #focus(field: Field) {
    this.#self.current?.querySelector<HTMLElement>(`#${this.#id + field}`)?.focus();
  }

  #togglePreview = async () => {
    if (this.state.html !== null) return this.setState({ html: null });
    if (this.state.busy || this.#missing()) return;
    this.setState({ busy: 'preview' });
    const result = await this.props.ctx.preview(this.state.body);
    if (!result.ok) return this.#fail(result.failure);
    this.setState({ html: result.value.html, busy: null, failure: null });
  };

  /**
   * A labelled control; its error, if any, is shown under it and tied to it. Name and email (`need` given) say in
   * their label whether the site requires them.
   */
  #field(name: Field, label: string, control: (aria: Aria) => JSX.Element, hint = '', need?: boolean) {
    const id = this.#id + name;
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

  override render(
    { ctx, label, parentId, editId, onCancel }: FormProps,
    { body, html, busy, failure, asking }: FormState,
  ) {
    const who = loadIdentity();
    // A reply by someone who gave a name or email says whom it is from instead of asking again, unless one of
    // them needs correcting.
    const known =
      parentId && (who.name || who.email) && !asking && !(failure?.fields?.name || failure?.fields?.email);
    return (
      <form class="f" ref={this.#self} aria-label={label} onSubmit={this.#submit} noValidate>
        {this.#field('body', t('Comment'), (aria) => (
          <>
            <textarea
              {...aria}
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
        <details>
          <summary class="hint">{t('Formatting help')}</summary>
          <p class="hint">
            {t(
              'Put **two stars** around words for bold, _underscores_ for italic. Start a line with > to quote.',
            )}
          </p>
        </details>
        {known && (
          <p class="hint">
            {t('Posting as {name}', { name: who.name || t('Anonymous') })}{' '}
            <button type="button" class="l" onClick={this.#ask}>
              {t('Change')}
            </button>
          </p>
        )}
        {!editId && (
          <div class="who" hidden={!!known} onChange={this.#keep}>
            {this.#field(
              'name',
              t('Name'),
              (aria) => (
                <input
                  {...aria}
                  name="name"
                  defaultValue={who.name}
                  placeholder={ctx.need.name ? undefined : t('Anonymous')}
                  autocomplete="name"
                  maxLength={NAME_MAX}
                />
              ),
              '',
              ctx.need.name,
            )}
            {this.#field(
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
              t('Never shown.'),
              ctx.need.email,
            )}
            <div class="sr" aria-hidden="true">
              <input name="website" tabIndex={-1} autocomplete="off" />
            </div>
          </div>
        )}
        {ctx.mail && !editId && (
          <label class="nt">
            <input type="checkbox" name="notify" /> {t('Email me replies')}
          </label>
        )}
        <p class="err" role="alert">
          {failure && describeFailure(failure)}
        </p>
        <div class="acts">
          <button type="submit" class="pri">
            {busy === 'post' ? t('Sending…') : editId ? t('Save changes') : t('Post comment')}
          </button>
          <button type="button" onClick={this.#togglePreview}>
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
