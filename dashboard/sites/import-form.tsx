import { useState } from 'preact/hooks';
import type { ImportReportView as ImportReport } from '../../shared/admin-schemas.ts';
import { IMPORT_BYTES_MAX } from '../../shared/limits.ts';
import { API, currentCsrfToken, describeFailure, type Failure } from '../api.ts';

type Stage =
  | { kind: 'idle' }
  | { kind: 'uploading'; share: number }
  | { kind: 'importing' }
  | { kind: 'done'; report: ImportReport }
  | { kind: 'failed'; message: string };

const count = (n: number) => n.toLocaleString();

/**
 * Sends the file as the request body with XMLHttpRequest, the one browser API that reports upload progress
 * (`fetch` does not).
 */
function send(
  url: string,
  file: File,
  onShare: (share: number) => void,
): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve) => {
    const request = new XMLHttpRequest();
    request.open('POST', url);
    request.setRequestHeader('x-csrf-token', currentCsrfToken());
    request.setRequestHeader('content-type', file.type || 'application/octet-stream');
    request.upload.onprogress = (event) => {
      if (event.lengthComputable) onShare(event.loaded / event.total);
    };
    request.upload.onload = () => onShare(1);
    request.onload = () => {
      let body: unknown = null;
      try {
        body = JSON.parse(request.responseText);
      } catch {}
      resolve({ status: request.status, body });
    };
    request.onerror = () => resolve({ status: 0, body: null });
    request.send(file);
  });
}

/** Moving in: a WordPress, Disqus, Remark42, Commento or Parley file uploaded into this site. */
export function ImportForm({ siteId }: { siteId: string }) {
  const [stage, setStage] = useState<Stage>({ kind: 'idle' });
  const busy = stage.kind === 'uploading' || stage.kind === 'importing';

  const submit = async (event: Event) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const file = (form.elements.namedItem('file') as HTMLInputElement).files?.[0];
    const partial = (form.elements.namedItem('partial') as HTMLInputElement).checked;
    if (!file) return setStage({ kind: 'failed', message: 'Choose the file to import first.' });
    if (file.size > IMPORT_BYTES_MAX) {
      return setStage({
        kind: 'failed',
        message: `This file is over ${IMPORT_BYTES_MAX / 1024 / 1024} MiB: import it on the server with npm run parley -- import FILE --site ${siteId}.`,
      });
    }
    setStage({ kind: 'uploading', share: 0 });
    const url = `${API}/sites/${encodeURIComponent(siteId)}/import${partial ? '?partial=1' : ''}`;
    const { status, body } = await send(url, file, (share) =>
      setStage(share >= 1 ? { kind: 'importing' } : { kind: 'uploading', share }),
    );
    if (status === 200) return setStage({ kind: 'done', report: body as ImportReport });
    const failure = (body as { error?: Failure } | null)?.error;
    setStage({
      kind: 'failed',
      message: failure
        ? (failure.fields?.file ?? describeFailure({ ...failure, status }))
        : 'Could not reach the server. Check the connection and try again.',
    });
  };

  return (
    <section aria-labelledby="import-title">
      <h2 id="import-title">Import</h2>
      <p>
        Bring comments over from WordPress (Tools → Export), Disqus, Remark42, Commento or another Parley.
        Importing the same file twice adds nothing, and no comment here is changed.
      </p>
      <form onSubmit={submit}>
        <label>
          Export file <input type="file" name="file" disabled={busy} />
        </label>
        <label>
          <input type="checkbox" name="partial" disabled={busy} /> Import what can be read of a damaged file
        </label>
        <button type="submit" disabled={busy}>
          Import comments
        </button>
      </form>
      {stage.kind === 'uploading' && (
        <p role="status">
          <progress max={1} value={stage.share} aria-label="Upload" /> Uploading…{' '}
          {Math.floor(stage.share * 100)}%
        </p>
      )}
      {stage.kind === 'importing' && (
        <p role="status">
          <progress aria-label="Import" /> Importing…
        </p>
      )}
      {stage.kind === 'failed' && (
        <p class="err" role="alert">
          {stage.message}
        </p>
      )}
      {stage.kind === 'done' && <ImportSummary report={stage.report} />}
    </section>
  );
}

function ImportSummary({ report }: { report: ImportReport }) {
  const { comments } = report;
  const lost = Object.entries(report.lost);
  return (
    <div role="status">
      <p>
        Imported {count(comments.added)} of {count(comments.read)} comments on {count(report.threads)} pages (
        {report.format}).
        {comments.alreadyPresent > 0 && ` ${count(comments.alreadyPresent)} were already here.`}
        {comments.deletedWithoutReplies > 0 &&
          ` ${count(comments.deletedWithoutReplies)} deleted comments without replies were left out.`}
      </p>
      {lost.length > 0 && (
        <p>Not carried over: {lost.map(([what, n]) => `${what} (${count(n)})`).join(', ')}.</p>
      )}
      {report.invalidCount > 0 && (
        <p>
          Skipped {count(report.invalidCount)} records that could not be read
          {report.invalid[0] && `, such as ${report.invalid[0].where}: ${report.invalid[0].message}`}.
        </p>
      )}
      {report.stoppedAt && <p>Reading stopped at {report.stoppedAt}.</p>}
    </div>
  );
}
