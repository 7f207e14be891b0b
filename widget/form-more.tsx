import { createRef, type JSX } from 'preact';
import { EMAIL_MAX, NAME_MAX } from '../shared/limits.ts';
import type { Failure } from './api.ts';
import { describeFailure } from './failures.ts';
import type { Form } from './form.tsx';
import { t } from './i18n.ts';
import { loadIdentity, saveDraft, saveIdentity } from './identity.ts';
import './more-styles.ts';
import { notifyFields } from './notify.ts';
import { post, preview, update } from './thread-actions.tsx';

/*
 * All a form does, and all of it but its text field (widget/form.tsx holds that, for the first paint): the name
 * and email, the buttons; checking, sending, previewing, keeping drafts. A chunk loaded after the first paint.
 */

type Field = 'body' | 'name' | 'email';

/** What a control gets from its field: its id, whether it is required and how it is described. */
interface Aria {
  id: string;
  required: boolean | undefined;
  'aria-invalid': boolean;
  'aria-describedby': string | undefined;
}

const forms = new WeakMap<Form, { current: HTMLFormElement | null }>();
const element = (form: Form) => {
  let ref = forms.get(form);
  if (!ref) {
    ref = createRef();
    forms.set(form, ref);
  }
  return ref;
};

/** Name, email and the honeypot are plain form fields: read as they are now. */
const read = (form: Form, field: string) =>
  String(new FormData(element(form).current as HTMLFormElement).get(field) ?? '');

const who = (form: Form) => ({ name: read(form, 'name'), email: read(form, 'email') });

const focus = (form: Form, field: Field) =>
  element(form)
    .current?.querySelector<HTMLElement>(`#${form.id + field}`)
    ?.focus();

/** Saves the text as a draft a moment after typing stops. */
export function keepDraft(form: Form): void {
  const { draft } = form;
  if (!draft) return;
  clearTimeout(form.timer);
  form.timer = setTimeout(() => saveDraft(draft, form.state.body), 300);
}

/** Shows why, and moves focus to the first field it names. */
function fail(form: Form, failure: Failure) {
  form.setState({ failure, busy: null });
  const first = (['body', 'name', 'email'] as const).find((field) => failure.fields?.[field]);
  if (first) focus(form, first);
}

/**
 * Says what is missing and returns true when something is: the text, and for a new comment (`given` passed) the
 * name or email the site requires, or the email "Email me replies" needs.
 */
function missing(form: Form, given?: Record<'name' | 'email', string>) {
  const fields: Record<string, string> = {};
  if (!form.state.body.trim()) fields.body = t('Write something first.');
  for (const field of ['name', 'email'] as const) {
    if (given && form.props.ctx.need[field] && !given[field].trim())
      fields[field] = t('This site asks for it.');
  }
  if (given && !given.email.trim() && read(form, 'notify')) fields.email = t('Replies are sent to it.');
  if (!Object.keys(fields).length) return false;
  fail(form, { code: 'invalid_input', message: '', fields });
  return true;
}

async function submit(form: Form, event: Event): Promise<void> {
  event.preventDefault();
  const { ctx, parentId, editId, onDone } = form.props;
  const { body, busy } = form.state;
  const given = who(form);
  if (busy || missing(form, editId ? undefined : given)) return;
  form.setState({ busy: 'post', failure: null });
  const failed = editId
    ? await update(ctx.thread, editId, body)
    : await post(ctx.thread, {
        ...given,
        body,
        website: read(form, 'website'),
        parentId: parentId ?? null,
        ...notifyFields(given.email, !!read(form, 'notify'), ctx.lang),
      });
  if (failed) return fail(form, failed);
  if (form.draft) {
    clearTimeout(form.timer);
    saveDraft(form.draft, '');
  }
  form.setState({ body: '', html: null, busy: null });
  onDone?.();
}

async function togglePreview(form: Form): Promise<void> {
  if (form.state.html !== null) return form.setState({ html: null });
  if (form.state.busy || missing(form)) return;
  form.setState({ busy: 'preview' });
  const result = await preview(form.props.ctx.thread, form.state.body);
  if (!result.ok) return fail(form, result.failure);
  form.setState({ html: result.value.html, busy: null, failure: null });
}

/**
 * A labelled control; its error, if any, is shown under it and tied to it. Name and email (`need` given) say in
 * their label whether the site requires them. `after` follows the control (the preview, after the text).
 */
function field(
  form: Form,
  name: Field,
  label: string,
  control: (aria: Aria) => JSX.Element,
  hint = '',
  need?: boolean,
  after?: JSX.Element | false,
) {
  const id = form.id + name;
  const error = form.state.failure?.fields?.[name];
  const described = [hint && `${id}h`, error && `${id}e`].filter(Boolean).join(' ') || undefined;
  return (
    <div class="fl">
      <label for={id}>
        {label}
        {need !== undefined && ` ${need ? t('(required)') : t('(optional)')}`}
      </label>
      {control({ id, required: need, 'aria-invalid': !!error, 'aria-describedby': described })}
      {after}
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

/** The whole form, around the text field of form.tsx. */
export function render(form: Form) {
  const { ctx, label, parentId, editId, onCancel } = form.props;
  const { html, busy, failure, asking } = form.state;
  const known = loadIdentity();
  // A reply by someone who gave a name or email says whom it is from instead of asking again, unless one of
  // them needs correcting.
  const named =
    parentId && (known.name || known.email) && !asking && !(failure?.fields?.name || failure?.fields?.email);
  return (
    <form
      class="f"
      part="form"
      ref={element(form)}
      aria-label={label}
      onSubmit={(event) => submit(form, event)}
      noValidate
    >
      {/* The text field is an element of its own here, as in form.tsx, so that it is kept, not made anew. */}
      {field(
        form,
        'body',
        t('Comment'),
        (aria) => form.text(aria),
        '',
        undefined,
        html !== null && (
          <div class="b pv" part="body preview" dir="auto" dangerouslySetInnerHTML={{ __html: html }} />
        ),
      )}
      <details>
        <summary class="hint">{t('Formatting help')}</summary>
        <p class="hint">
          {t(
            'Put **two stars** around words for bold, _underscores_ for italic. Start a line with > to quote.',
          )}
        </p>
      </details>
      {named && (
        <p class="hint">
          {t('Posting as {name}', { name: known.name || t('Anonymous') })}{' '}
          <button
            type="button"
            class="l"
            part="action"
            onClick={() => form.setState({ asking: true }, () => focus(form, 'name'))}
          >
            {t('Change')}
          </button>
        </p>
      )}
      {!editId && (
        // Name and email are remembered as soon as they are given, so that a reply opened next does not ask again.
        <div class="who" hidden={!!named} onChange={() => saveIdentity(who(form))}>
          {field(
            form,
            'name',
            t('Name'),
            (aria) => (
              <input
                {...aria}
                part="field"
                name="name"
                defaultValue={known.name}
                placeholder={ctx.need.name ? undefined : t('Anonymous')}
                autocomplete="name"
                maxLength={NAME_MAX}
              />
            ),
            '',
            ctx.need.name,
          )}
          {field(
            form,
            'email',
            t('Email'),
            (aria) => (
              <input
                {...aria}
                part="field"
                name="email"
                type="email"
                defaultValue={known.email}
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
        <button type="submit" class="pri" part="button primary">
          {busy === 'post' ? t('Sending…') : editId ? t('Save changes') : t('Post comment')}
        </button>
        <button type="button" part="button" onClick={() => togglePreview(form)}>
          {html === null ? t('Preview') : t('Write')}
        </button>
        {onCancel && (
          <button type="button" part="button" onClick={onCancel}>
            {t('Cancel')}
          </button>
        )}
      </div>
    </form>
  );
}
