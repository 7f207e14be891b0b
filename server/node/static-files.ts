import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join, normalize } from 'node:path';
import { getMimeType } from 'hono/utils/mime';
import type { Assets } from '../routes/static.ts';

interface Loaded {
  body: Uint8Array<ArrayBuffer>;
  type: string;
  etag: string;
}

/**
 * Built files read from a `dist/` folder on disk; nothing outside it is ever read. A build does not change under a
 * running server, so each file is read once and kept, with a strong ETag from its content. The build writes
 * brotli and gzip copies beside the compressible files (`vite.config.ts`).
 */
export function diskAssets(distDir: string): Assets {
  const loaded = new Map<string, Promise<Loaded | undefined>>();

  const load = async (relative: string): Promise<Loaded | undefined> => {
    try {
      const bytes = await readFile(join(distDir, relative));
      const body = new Uint8Array(
        bytes.buffer,
        bytes.byteOffset,
        bytes.byteLength,
      ) as Uint8Array<ArrayBuffer>;
      return {
        body,
        type: getMimeType(relative) ?? 'application/octet-stream',
        etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`,
      };
    } catch {
      return undefined;
    }
  };

  return {
    precompressed: true,
    async get(path) {
      const relative = normalize(path).replace(/^([/\\])+/, '');
      if (relative.startsWith('..')) return undefined;
      let file = loaded.get(relative);
      if (!file) {
        file = load(relative);
        loaded.set(relative, file);
      }
      const found = await file;
      // A file that is missing now may be built later: only what was found is kept.
      if (!found) {
        loaded.delete(relative);
        return undefined;
      }
      return new Response(found.body, { headers: { 'Content-Type': found.type, ETag: found.etag } });
    },
  };
}
