import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import type { ParleyApp } from '../app.ts';

/**
 * Serves the built widget (any origin may load it) and the demo blog page at `/`. Built by `npm run build`.
 */
export function serveBuiltFiles(app: ParleyApp, distDir: string) {
  if (!existsSync(join(distDir, 'embed.js'))) {
    console.warn('[parley] dist/embed.js is missing: run `npm run build` so pages can load the widget.');
  }
  app.use('/embed.js', async (c, next) => {
    await next();
    c.header('Access-Control-Allow-Origin', '*');
    c.header('Cross-Origin-Resource-Policy', 'cross-origin');
    c.header('Cache-Control', 'public, max-age=300');
  });
  app.get('/', serveStatic({ path: join(distDir, 'demo', 'index.html') }));
  app.get('/*', serveStatic({ root: distDir }));
}
