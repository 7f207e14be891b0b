import { createRoute, z } from '@hono/zod-openapi';
import { ErrorSchema } from '../../shared/schemas.ts';
import type { AppContext, ParleyApp } from '../app-context.ts';
import { unavailableError } from '../errors.ts';

const healthRoute = createRoute({
  method: 'get',
  path: '/api/health',
  summary: 'Answers 200 when the store is reachable',
  responses: {
    200: {
      description: 'Healthy',
      content: { 'application/json': { schema: z.object({ status: z.literal('ok') }) } },
    },
    503: {
      description: 'The store is unreachable',
      content: { 'application/json': { schema: ErrorSchema } },
    },
  },
});

export function registerHealthRoutes(app: ParleyApp, { store }: AppContext) {
  app.openapi(healthRoute, async (c) => {
    try {
      await store.ping();
    } catch {
      throw unavailableError();
    }
    return c.json({ status: 'ok' as const }, 200);
  });
}
