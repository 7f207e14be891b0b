import { EMAIL_MAX, NAME_MAX } from '../shared/limits.ts';
import type { Failure } from './api.ts';
import { describeFailure } from './failures.ts';
import type { Form } from './form.tsx';
import { t } from './i18n.ts';
import { addSheet } from './sheets.ts';
import { loadIdentity, saveIdentity } from './identity.ts';
import { saveDraft } from './storage.ts';
import css from './styles-more.css?inline';

/*
 * The part of a form that the first paint of a thread does without (widget/form.tsx holds the text field): the
 * name and email, the buttons, and what they do: check, send, preview. A chunk loaded after that paint.
 */

addSheet(css);

const who = (form: Form) => ({ name: form.read('name'), email: form.read('email') });

/** Shows why, and moves focus to the first field it names. */
function fail(form: Form, failure: Failure) {
  form.setState({ failure, busy: null });
  const first = (['body', 'name', 'email'] as const).find((field) => failure.fields?.[field]);
  if (first) form.focus(first);
}

/**
 * Says what is missing and returns true when something is: the text, and for a new comment (`given` passed) the
 * name or email the site requires.
 */
function missing(form: Form, given?: Record<'name' | 'email', string>) {
  const fields: Record<string, string> = {};
  if (!form.state.body.trim()) fields.body = t('Write something first.');
  for (const field of ['name', 'email'] as const) {
    if (given && form.props.ctx.need[field] && !given[field].trim()) fields[field] = t('This site asks for it.');
  }
  if (!Object.keys(fields).length) return false;
  fail(form, { code: 'invalid_input', message: '', fields });
  return true;
}

export async function submit(form: Form): Promise<void> {
  const { ctx, parentId, editId, onDone } = form.props;
  const { body, busy } = form.state;
  const given = who(form);
  if (busy || missing(form, editId ? undefined : given)) return;
  form.setState({ busy: 'post', failure: null });
  const failed = editId
    ? await ctx.update(editId, body)
    : await ctx.post({ ...given, body, website: form.read('website'), parentId: parentId ?? null });
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
  const result = await form.props.ctx.preview(form.state.body);
  if (!result.ok) return fail(form, result.failure);
  form.setState({ html: result.value.html, busy: null, failure: null });
}

/** Everything of the form after its text field. */
export function rest(form: Form, onCancel?: () => void) {
  const { ctx, parentId, editId } = form.props;
  const { html, busy, failure, asking } = form.state;
  const known = loadIdentity();
  // A reply by someone who gave a name or email says whom it is from instead of asking again, unless one of
  // them needs correcting.
  const named =
    parentId && (known.name || known.email) && !asking && !(failure?.fields?.name || failure?.fields?.email);
  return (
    <>
      <details>
        <summary class="hint">{t('Formatting help')}</summary>
        <p class="hint">
          {t('Put **two stars** around words for bold, _underscores_ for italic. Start a line with > to quote.')}
        </p>
      </details>
      {named && (
        <p class="hint">
          {t('Posting as {name}', { name: known.name || t('Anonymous') })}{' '}
          <button
            type="button"
            class="l"
            onClick={() => form.setState({ asking: true }, () => form.focus('name'))}
          >
            {t('Change')}
          </button>
        </p>
      )}
      {!editId && (
        // Name and email are remembered as soon as they are given, so that a reply opened next does not ask again.
        <div class="who" hidden={!!named} onChange={() => saveIdentity(who(form))}>
          {form.field(
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
          {form.field(
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
    </>
  );
}
