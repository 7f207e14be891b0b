import type { AppContext } from '../../app-context.ts';
import type { AdminApp } from './admin-env.ts';
import { registerAuditRoutes } from './audit.ts';
import { registerBanRoutes } from './bans.ts';
import { registerModerationCommentRoutes } from './comments.ts';
import { registerImportRoutes } from './import.ts';
import { registerPrivacyAdminRoutes } from './privacy.ts';
import { registerSiteRoutes } from './sites.ts';
import { registerStatsRoutes } from './stats.ts';
import { registerThreadAdminRoutes } from './threads.ts';
import { registerWebhookRoutes } from './webhooks.ts';

/** Sites, the moderation queue and actions, threads, bans, the audit log, stats, import and export, webhooks, privacy requests (docs/admin-api.md). */
export function registerModerationRoutes(admin: AdminApp, ctx: AppContext) {
  registerSiteRoutes(admin, ctx);
  registerModerationCommentRoutes(admin, ctx);
  registerThreadAdminRoutes(admin, ctx);
  registerBanRoutes(admin, ctx);
  registerAuditRoutes(admin, ctx);
  registerStatsRoutes(admin, ctx);
  registerImportRoutes(admin, ctx);
  registerWebhookRoutes(admin, ctx);
  registerPrivacyAdminRoutes(admin, ctx);
}
