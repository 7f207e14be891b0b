import { z } from '@hono/zod-openapi';
import { CommentSchema } from './schemas.ts';
import { text } from './text.ts';

/*
 * The admin API's shapes (`/admin/api/*`), shared by the server (validation, OpenAPI) and the dashboard (types
 * only). Every state-changing admin request carries the session's CSRF token in the `X-CSRF-Token` header.
 */

export const RoleSchema = z.enum(['owner', 'moderator']).openapi({
  description: 'owner: settings, members and moderation of the site; moderator: moderation only',
});

/** What the caller may do on a site: `admin` is a server owner, who may do everything everywhere. */
export const AccessSchema = z.enum(['admin', 'owner', 'moderator']);

export const ModerationModeSchema = z.enum(['none', 'first-time', 'all']).openapi({
  description:
    'none: publish at once; first-time: hold a commenter until one comment is approved; all: hold all',
});

/**
 * Whether `text` names a web origin: http(s), a host, maybe a port. A path, a query, a trailing slash or capitals,
 * as an address copied from the browser has them, are fine: the server keeps `scheme://host[:port]` only.
 *
 * @example isOriginLike('https://Blog.Example.com/posts/') // true; stored as https://blog.example.com
 */
export function isOriginLike(text: string): boolean {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    return false;
  }
  return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname !== '' && !url.username;
}

const OriginSchema = text()
  .max(200)
  .refine(isOriginLike, 'An origin such as https://blog.example.com (the address of the blog)');

export const SiteSettingsSchema = z
  .object({
    /** Origins whose pages may show and post comments; empty means any origin (the default site's start). */
    origins: z.array(OriginSchema).max(50),
    moderation: ModerationModeSchema,
    requireName: z.boolean(),
    requireEmail: z.boolean(),
    editWindowMinutes: z
      .number()
      .int()
      .min(0)
      .max(24 * 60),
    /** Threads close to new comments this many days after their first comment; 0 keeps them open. */
    autoCloseDays: z.number().int().min(0).max(3650),
    maxDepth: z.number().int().min(0).max(64),
    /** A comment with more links than this is held for moderation. */
    maxLinks: z.number().int().min(0).max(50),
    /** A comment containing one of these (case-insensitive, whole words) is held for moderation. */
    blockedWords: z.array(text().trim().min(1).max(100)).max(500),
    /** Show an "Author" badge on comments written by the site's owners and moderators from the dashboard. */
    ownerBadge: z.boolean(),
  })
  .openapi('SiteSettings');

export const DEFAULT_SITE_SETTINGS: SiteSettings = {
  origins: [],
  moderation: 'none',
  requireName: false,
  requireEmail: false,
  editWindowMinutes: 15,
  autoCloseDays: 0,
  maxDepth: 64,
  maxLinks: 3,
  blockedWords: [],
  ownerBadge: true,
};

export const SiteSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    settings: SiteSettingsSchema,
    /** What the caller may do here. */
    access: AccessSchema,
    createdAt: z.number().int(),
  })
  .openapi('Site');

export const SiteIdSchema = text()
  .min(2)
  .max(40)
  .regex(/^[a-z0-9][a-z0-9-]*$/, 'Lowercase letters, digits and dashes');

export const CreateSiteSchema = z.object({
  id: SiteIdSchema,
  name: text().trim().min(1).max(100),
  origins: SiteSettingsSchema.shape.origins.min(1, 'Name at least one origin'),
});

export const UpdateSiteSchema = z.object({
  name: text().trim().min(1).max(100).optional(),
  settings: SiteSettingsSchema.partial().optional(),
});

export const UserSchema = z
  .object({
    id: z.string(),
    email: z.string(),
    /** The public name: shown on the member's replies from the dashboard. */
    name: z.string(),
    isAdmin: z.boolean(),
  })
  .openapi('User');

export const AccountUpdateSchema = z.object({
  /** The name readers see on the member's replies. */
  name: text().trim().min(1, 'Write the name readers should see').max(80),
});

export const SessionSchema = z
  .object({
    user: UserSchema,
    /** Send back as `X-CSRF-Token` on every POST, PATCH, PUT and DELETE. */
    csrfToken: z.string(),
    sites: z.array(SiteSchema),
    /** Whether this server sends mail (PARLEY_SMTP_URL or an HTTP mail API, and PARLEY_MAIL_FROM); false: mail is off. */
    mail: z.boolean(),
  })
  .openapi('Session');

/** Which comments of a site a member is mailed about: none, held ones (owners' default), or every one. */
export const MailLevelSchema = z.enum(['off', 'held', 'all']);

export const NotificationsSchema = z
  .object({
    level: MailLevelSchema,
    /** False when the server sends no mail: the choice is kept for when it does. */
    mail: z.boolean(),
  })
  .openapi('Notifications');

export const UpdateNotificationsSchema = z.object({ level: MailLevelSchema });

export type MailLevel = z.infer<typeof MailLevelSchema>;
export type NotificationsView = z.infer<typeof NotificationsSchema>;

export const SetupStateSchema = z.object({
  /** False on a fresh server: the dashboard then explains how to create the first owner. */
  hasOwner: z.boolean(),
});

export const SignInSchema = z.object({
  email: text().check(z.email()).max(254),
  password: text().min(1).max(1000),
});

export const PasswordChangeSchema = z.object({
  current: text().min(1).max(1000),
  next: text().min(10, 'At least 10 characters').max(1000),
});

export const SessionRecordSchema = z.object({
  id: z.string(),
  current: z.boolean(),
  userAgent: z.string(),
  createdAt: z.number().int(),
  lastSeenAt: z.number().int(),
});

export const PasskeySchema = z.object({
  id: z.string(),
  name: z.string(),
  createdAt: z.number().int(),
  lastUsedAt: z.number().int().nullable(),
});

/*
 * Passkeys travel in the WebAuthn JSON forms (binary fields as base64url), as `PublicKeyCredential.toJSON()` gives
 * them: https://w3c.github.io/webauthn/#dictdef-registrationresponsejson.
 */

/** `PublicKeyCredentialCreationOptionsJSON` or `…RequestOptionsJSON`, to decode and pass to `navigator.credentials`. */
export const WebAuthnOptionsSchema = z.record(z.string(), z.unknown()).openapi('WebAuthnOptions', {
  description: 'WebAuthn options in their JSON form; the challenge is single-use and expires after 5 minutes',
});

const base64url = (max: number) =>
  text()
    .min(1)
    .max(max)
    .regex(/^[\w-]+$/, 'base64url');

const credentialJson = {
  id: base64url(1400),
  rawId: base64url(1400),
  type: z.literal('public-key'),
  authenticatorAttachment: z.enum(['platform', 'cross-platform']).nullish(),
  clientExtensionResults: z.record(text(), z.unknown()).default({}),
};

export const PasskeyRegistrationSchema = z.object({
  /** The name people see in their list of passkeys, e.g. "Laptop". */
  name: text().trim().min(1).max(60),
  response: z.object({
    ...credentialJson,
    response: z.object({
      clientDataJSON: base64url(4000),
      attestationObject: base64url(30_000),
      transports: z.array(text().max(30)).max(10).optional(),
    }),
  }),
});

export const PasskeyLoginSchema = z.object({
  response: z.object({
    ...credentialJson,
    response: z.object({
      clientDataJSON: base64url(4000),
      authenticatorData: base64url(4000),
      signature: base64url(2000),
      userHandle: base64url(100).nullish(),
    }),
  }),
});

export const MemberSchema = z.object({
  user: z.object({ id: z.string(), email: z.string(), name: z.string() }),
  role: RoleSchema,
  createdAt: z.number().int(),
});

export const InviteSchema = z.object({ email: text().check(z.email()).max(254), role: RoleSchema });

export const PendingInviteSchema = z.object({
  /** The invite's key (a hash of the link's token, never the token): revoke with it. */
  id: z.string(),
  email: z.string(),
  role: RoleSchema,
  createdAt: z.number().int(),
  expiresAt: z.number().int(),
});

export const InviteCreatedSchema = z.object({
  /** A one-time link to give the invitee; it leads to the dashboard's accept page. */
  inviteUrl: z.string(),
  expiresAt: z.number().int(),
});

export const AcceptInviteSchema = z.object({
  token: text().min(10).max(200),
  name: text().trim().max(80).optional(),
  /** Required when the email has no account yet. */
  password: text().min(10, 'At least 10 characters').max(1000).optional(),
});

export const FullStatusSchema = z.enum(['approved', 'pending', 'spam', 'deleted']);

export const AdminCommentSchema = CommentSchema.extend({
  status: FullStatusSchema,
  siteId: z.string(),
  thread: z.object({
    id: z.string(),
    key: z.string(),
    url: z.string(),
    title: z.string().nullable(),
    locked: z.boolean(),
  }),
  /** The markdown as written. */
  body: z.string(),
  email: z.string().nullable(),
  /** Why the comment was held or refused: `honeypot`, `blocked word: …`, `links`, `first-time`, `akismet`, … */
  statusReason: z.string().nullable(),
  /** What a reply answers: the parent's author and the start of its markdown (empty once deleted). */
  parent: z
    .object({ id: z.string(), author: z.object({ name: z.string() }), excerpt: z.string() })
    .nullable(),
}).openapi('AdminComment');

export const AdminCommentsQuerySchema = z.object({
  site: text().max(40).optional(),
  status: FullStatusSchema.optional(),
  /** A thread id. */
  thread: text().max(40).optional(),
  /** Matches the body, the author's name or email, case-insensitively. */
  q: text().trim().max(200).optional(),
  cursor: text().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const AdminCommentsPageSchema = z.object({
  /** Newest first. */
  comments: z.array(AdminCommentSchema),
  nextCursor: z.string().nullable(),
});

export const BulkActionSchema = z.object({
  ids: z.array(text().max(40)).min(1).max(200),
  action: z.enum(['approve', 'spam', 'delete', 'restore', 'pin', 'unpin']),
});

export const BulkResultSchema = z.object({
  comments: z.array(AdminCommentSchema),
  /** Ids that were not changed, with why (not found, not allowed). */
  failed: z.array(z.object({ id: z.string(), reason: z.string() })),
});

export const ModeratorEditSchema = z.object({ body: text().min(1).max(10_000) });

export const OwnerReplySchema = z.object({ body: text().min(1).max(10_000) });

export const AdminThreadSchema = z
  .object({
    id: z.string(),
    siteId: z.string(),
    key: z.string(),
    url: z.string(),
    title: z.string().nullable(),
    locked: z.boolean(),
    commentCount: z.number().int(),
    createdAt: z.number().int(),
  })
  .openapi('AdminThread');

export const AdminThreadDetailSchema = z.object({
  thread: AdminThreadSchema,
  /** Every comment of the thread, whatever its status, depth-first. */
  comments: z.array(AdminCommentSchema),
});

export const ThreadPatchSchema = z
  .object({
    locked: z.boolean().optional(),
    /** The title the dashboard and exports show; readers' later posts never change it. */
    title: text().trim().min(1, 'Give the page a title').max(300).optional(),
  })
  .refine((patch) => patch.locked !== undefined || patch.title !== undefined, {
    message: 'Send locked, title or both',
    path: ['locked'],
  });

export const BanKindSchema = z.enum(['email', 'client']);

export const BanSchema = z
  .object({
    id: z.string(),
    siteId: z.string(),
    kind: BanKindSchema,
    /** Name of the commenter at the time of the ban, for people reading the list. */
    label: z.string(),
    reason: z.string(),
    createdAt: z.number().int(),
    /** When the ban stops applying; null: never. */
    expiresAt: z.number().int().nullable(),
  })
  .openapi('Ban');

export const BanDurationSchema = z.enum(['day', 'week', 'forever']).openapi({
  description: 'day: 24 hours; week: 7 days; forever: until lifted',
});

export const CreateBanSchema = z.object({
  /** The commenter is identified by this comment's email hash and/or client hash. */
  commentId: text().max(40),
  kinds: z.array(BanKindSchema).min(1).max(2),
  reason: text().trim().max(500).default(''),
  duration: BanDurationSchema.default('forever'),
  /** Also delete every comment of theirs on the site (matched the way the ban matches them). */
  deleteComments: z.boolean().default(false),
});

export const BanCreatedSchema = z.object({
  /** One per kind asked for. */
  bans: z.array(BanSchema),
  /** The comments deleted with the ban, as they now stand; empty unless `deleteComments` was asked for. */
  deleted: z.array(AdminCommentSchema),
});

/** A page as the audit log names it: its title (null when it gave none) and address. */
const AuditPageRefSchema = z.object({ id: z.string(), title: z.string().nullable(), url: z.string() });

export const AuditEntrySchema = z
  .object({
    id: z.string(),
    siteId: z.string().nullable(),
    /** `name` is the account's name today; `email` the one it had when acting. */
    actor: z.object({ id: z.string(), email: z.string(), name: z.string() }),
    /** e.g. `comment.approve`, `site.update`, `ban.create`, `thread.lock`, `member.invite`. */
    action: z.string(),
    targetId: z.string().nullable(),
    /** Every target of the entry: one, or each comment a bulk action changed (shown as one entry). */
    targetIds: z.array(z.string()),
    /** The first target's state before and after; a bulk action's other targets changed the same way. */
    before: z.unknown().nullable(),
    after: z.unknown().nullable(),
    /** The comments among the targets, as they stand: author, the start of the text and their page. */
    comments: z.array(
      z.object({
        id: z.string(),
        author: z.string(),
        excerpt: z.string(),
        status: FullStatusSchema,
        thread: AuditPageRefSchema,
      }),
    ),
    /** The page a `thread.*` entry is about. */
    thread: AuditPageRefSchema.nullable(),
    createdAt: z.number().int(),
  })
  .openapi('AuditEntry');

export const AuditPageSchema = z.object({
  entries: z.array(AuditEntrySchema),
  nextCursor: z.string().nullable(),
});

export const StatsSchema = z.object({
  /** Comments written per UTC day, oldest first, the last 30 days including today. */
  perDay: z.array(z.object({ day: z.string(), count: z.number().int() })).length(30),
  pending: z.number().int(),
  spam: z.number().int(),
  approved: z.number().int(),
});

export type Role = z.infer<typeof RoleSchema>;
export type Access = z.infer<typeof AccessSchema>;
export type ModerationMode = z.infer<typeof ModerationModeSchema>;
export type SiteSettings = z.infer<typeof SiteSettingsSchema>;
export type Site = z.infer<typeof SiteSchema>;
export type User = z.infer<typeof UserSchema>;
export type SessionView = z.infer<typeof SessionSchema>;
export type SessionRecord = z.infer<typeof SessionRecordSchema>;
export type Passkey = z.infer<typeof PasskeySchema>;
export type PasskeyRegistration = z.input<typeof PasskeyRegistrationSchema>;
export type PasskeyLogin = z.input<typeof PasskeyLoginSchema>;
export type Member = z.infer<typeof MemberSchema>;
export type PendingInvite = z.infer<typeof PendingInviteSchema>;
export type FullStatus = z.infer<typeof FullStatusSchema>;
export type AdminComment = z.infer<typeof AdminCommentSchema>;
export type AdminCommentsQuery = z.input<typeof AdminCommentsQuerySchema>;
export type AdminCommentsPage = z.infer<typeof AdminCommentsPageSchema>;
export type BulkAction = z.infer<typeof BulkActionSchema>;
export type BulkResult = z.infer<typeof BulkResultSchema>;
export type AdminThread = z.infer<typeof AdminThreadSchema>;
export type AdminThreadDetail = z.infer<typeof AdminThreadDetailSchema>;
export type Ban = z.infer<typeof BanSchema>;
export type BanDuration = z.infer<typeof BanDurationSchema>;
export type BanCreated = z.infer<typeof BanCreatedSchema>;
export type AuditEntry = z.infer<typeof AuditEntrySchema>;
export type AuditPage = z.infer<typeof AuditPageSchema>;
export type Stats = z.infer<typeof StatsSchema>;

/** The files `parley import` and the dashboard read: WordPress, Disqus, Isso, Remark42, Commento and Parley's own. */
export const IMPORT_FORMATS = ['wxr', 'disqus', 'isso', 'remark42', 'commento', 'parley'] as const;

/** What an import reports: what came over, what was already there, and what the source had that Parley cannot keep. */
export const ImportReportSchema = z
  .object({
    format: z.enum(IMPORT_FORMATS),
    sites: z.array(z.string()),
    threads: z.number(),
    comments: z.object({
      read: z.number(),
      added: z.number(),
      alreadyPresent: z.number(),
      deletedWithoutReplies: z.number(),
      orphans: z.number(),
    }),
    added: z.record(z.string(), z.number()),
    lost: z.record(z.string(), z.number()),
    invalid: z.array(z.object({ where: z.string(), message: z.string() })),
    invalidCount: z.number(),
    stoppedAt: z.string().optional(),
  })
  .openapi('ImportReport');
export type ImportReportView = z.infer<typeof ImportReportSchema>;
