import type { ParleyApp } from '../app-context.ts';

export function registerOpenApiRoute(app: ParleyApp) {
  app.doc31('/api/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'Parley API',
      version: '1',
      description: 'Comments for any page. Errors are always `{ error: { code, message, fields? } }`.',
    },
  });
}
