import { createRoute, z } from '@hono/zod-openapi';
import { ImportReportSchema } from '../../../shared/admin-schemas.ts';
import { IMPORT_BYTES_MAX } from '../../../shared/limits.ts';
import type { AppContext } from '../../app-context.ts';
import { authorize } from '../../auth/access.ts';
import { ApiError } from '../../errors.ts';
import { DETECT_CHARS, detectFormat } from '../../import/detect.ts';
import { textChunks } from '../../import/lines.ts';
import { exportStream } from '../../import/parley-export.ts';
import { isTextFormat, TEXT_READERS } from '../../import/readers.ts';
import { IMPORT_FORMATS, type ImportFormat, ImportFormatError } from '../../import/records.ts';
import { importComments } from '../../import/writer.ts';
import { ADMIN_ERRORS, json } from '../responses.ts';
import { type AdminApp, requireSession, signedIn } from './admin-env.ts';
import { recordAudit } from './scope.ts';
import { SiteParams } from './sites.ts';

/*
 * Moving in and out from the dashboard. The upload is the file itself; it is read into memory (up to
 * IMPORT_BYTES_MAX, as on Workers where requests are small anyway) and then imported as the CLI imports a file:
 * checked whole first, then written in batches. Bigger files go through `npm run parley -- import`.
 */

const ImportQuery = z.object({
  format: z.enum(IMPORT_FORMATS).optional().openapi({ description: 'Found from the file when absent' }),
  partial: z
    .enum(['1', '0'])
    .optional()
    .openapi({ description: '1: import what can be read of a damaged file instead of refusing it' }),
});

const importRoute = createRoute({
  method: 'post',
  path: '/sites/{site}/import',
  summary: 'Import comments from a file: WordPress, Disqus, Remark42, Commento or Parley (owners)',
  description:
    `The body is the file as is (any content type), up to ${IMPORT_BYTES_MAX} bytes. Importing the same file ` +
    'again adds nothing; existing comments are never changed. A malformed file imports nothing (422) unless ' +
    '`partial=1`.',
  middleware: [requireSession],
  request: { params: SiteParams, query: ImportQuery },
  responses: { 200: json(ImportReportSchema, 'What came over and what could not'), ...ADMIN_ERRORS },
});

const exportAllRoute = createRoute({
  method: 'get',
  path: '/export',
  summary: 'Every comment of every site, as a JSON download (server owners)',
  middleware: [requireSession],
  responses: { 200: { description: 'A JSON file in the format of docs/export-format.md' }, ...ADMIN_ERRORS },
});

const SQLITE_MAGIC = 'SQLite format 3\u0000';

/** The request body as text, refused past the limit even without a Content-Length. */
async function readUpload(body: ReadableStream<Uint8Array> | null): Promise<{ head: string; text: string }> {
  if (!body) return { head: '', text: '' };
  const decoder = new TextDecoder();
  const parts: string[] = [];
  let size = 0;
  let head = '';
  const reader = body.getReader();
  for (let next = await reader.read(); !next.done; next = await reader.read()) {
    const chunk = next.value;
    if (size === 0) head = String.fromCharCode(...chunk.subarray(0, SQLITE_MAGIC.length));
    size += chunk.byteLength;
    if (size > IMPORT_BYTES_MAX) {
      await reader.cancel();
      throw new ApiError(
        413,
        'payload_too_large',
        `The file is over ${IMPORT_BYTES_MAX} bytes; import it with the CLI`,
      );
    }
    parts.push(decoder.decode(chunk, { stream: true }));
  }
  parts.push(decoder.decode());
  return { head, text: parts.join('') };
}

export function registerImportRoutes(admin: AdminApp, ctx: AppContext) {
  const { store, clock } = ctx;

  admin.openapi(importRoute, async (c) => {
    const { user } = signedIn(c);
    const { site: siteId } = c.req.valid('param');
    const query = c.req.valid('query');
    await authorize(store, user, siteId, 'manage');
    if (!(await store.getSite(siteId))) throw new ApiError(404, 'not_found', 'No such site');
    const { head, text } = await readUpload(c.req.raw.body);
    const format: ImportFormat | undefined =
      query.format ?? (head === SQLITE_MAGIC ? 'isso' : detectFormat(text.slice(0, DETECT_CHARS)));
    if (!format) {
      throw new ApiError(422, 'invalid_input', 'Cannot tell the format of this file', {
        file: `Not a file Parley imports (${IMPORT_FORMATS.join(', ')})`,
      });
    }
    if (!isTextFormat(format)) {
      throw new ApiError(422, 'invalid_input', 'Import an Isso database with the CLI', {
        file: 'An Isso database is imported with: npm run parley -- import FILE --base-url https://your.site',
      });
    }
    try {
      const report = await importComments(store, () => TEXT_READERS[format](textChunks(text)), {
        format,
        siteId,
        secret: await ctx.secret(),
        now: clock.now(),
        partial: query.partial === '1',
      });
      await recordAudit(ctx, user, {
        siteId,
        action: 'site.import',
        targetId: siteId,
        after: { format, added: report.comments.added, threads: report.threads },
      });
      return c.json(report, 200);
    } catch (error) {
      if (!(error instanceof ImportFormatError)) throw error;
      throw new ApiError(422, 'invalid_input', `Nothing was imported: ${error.message}`, {
        file: error.message,
      });
    }
  });

  admin.openapi(exportAllRoute, async (c) => {
    const { user } = signedIn(c);
    if (!user.is_admin) throw new ApiError(403, 'forbidden', 'Only a server owner can export every site');
    const now = clock.now();
    const day = new Date(now).toISOString().slice(0, 10);
    return c.newResponse(exportStream(store, await store.listSites(), now), 200, {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Disposition': `attachment; filename="parley-all-${day}.json"`,
    });
  });
}
