import { readFile } from 'node:fs/promises';
import { join, normalize } from 'node:path';
import { getMimeType } from 'hono/utils/mime';
import type { Assets } from '../routes/static.ts';

/** Built files read from a `dist/` folder on disk; nothing outside it is ever read. */
export function diskAssets(distDir: string): Assets {
  return {
    async get(path) {
      const relative = normalize(path).replace(/^([/\\])+/, '');
      if (relative.startsWith('..')) return undefined;
      try {
        const body = await readFile(join(distDir, relative));
        return new Response(body, {
          headers: { 'Content-Type': getMimeType(relative) ?? 'application/octet-stream' },
        });
      } catch {
        return undefined;
      }
    },
  };
}
