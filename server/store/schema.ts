import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

/*
 * Table types for Kysely. Types stay portable across SQLite, PostgreSQL and D1: ids are TEXT made by the app,
 * times are INTEGER epoch milliseconds, booleans are INTEGER 0/1.
 */

export interface SitesTable {
  id: string;
  name: string;
  /** JSON of `SiteSettings`, merged over the defaults on read. */
  settings: Generated<string>;
  /** Bumped by every settings change; part of the ETag of every thread of the site. */
  version: Generated<number>;
  created_at: number;
}

export interface ThreadsTable {
  id: string;
  site_id: string;
  /** Normalized page URL (`example.com/posts/a`) or `id:` plus the blogger's page id. */
  key: string;
  url: string;
  title: string | null;
  /**
   * 1: locked by a moderator; -1: unlocked by a moderator, so the site's auto-close does not apply; 0: open until
   * the site's `autoCloseDays` have passed since `created_at`.
   */
  locked: Generated<number>;
  /** Bumped by every write that changes what readers see; the ETag and the response cache hang on it. */
  version: Generated<number>;
  comment_count: Generated<number>;
  created_at: number;
}

export type CommentStatus = 'approved' | 'pending' | 'spam' | 'deleted';

export interface CommentsTable {
  id: string;
  thread_id: string;
  parent_id: string | null;
  /** Id of the top-level ancestor (its own id for a top-level comment); orders threads newest-first. */
  root_id: string;
  /** Ids of the ancestors and the comment itself, concatenated; sorting by it gives depth-first order. */
  path: string;
  depth: number;
  status: CommentStatus;
  /** Why a comment was held or refused, e.g. `honeypot`. */
  status_reason: string | null;
  author_name: string;
  author_email: string | null;
  avatar: string;
  /** Keyed hash of the client's IP address; the address itself is never stored. */
  client_hash: string;
  body: string;
  html: string;
  edit_token_hash: string | null;
  created_at: number;
  edited_at: number | null;
  site_id: string | null;
  /** Keyed hash of the lowercased email, for bans and first-time checks. */
  email_hash: string | null;
  /** Set when a site member wrote it from the dashboard. */
  author_user_id: string | null;
  is_owner: Generated<number>;
  pinned: Generated<number>;
  edited_by_moderator: Generated<number>;
  /** Readers' up-votes of this comment, recounted from `votes` on every vote. */
  votes: Generated<number>;
  /** `votes` of its top-level comment (its own for a top-level one): the `top` order sorts by it. */
  root_votes: Generated<number>;
  /** 1 when posted from a browser whose email address its reader confirmed (mail_subscriptions). */
  verified: Generated<number>;
}

/** One reader's up-vote of one comment. */
export interface VotesTable {
  comment_id: string;
  /** Keyed hash of the browser's key: one vote per browser, and the key itself is never stored. */
  voter_hash: string;
  created_at: number;
}

export interface RateLimitsTable {
  key: string;
  window_start: number;
  hits: number;
}

export interface SettingsTable {
  key: string;
  value: string;
}

export interface UsersTable {
  id: string;
  email: string;
  name: string;
  /** `pbkdf2-sha256$<iterations>$<salt>$<hash>`; null for an invited user who has not set one. */
  password_hash: string | null;
  is_admin: Generated<number>;
  created_at: number;
}

export interface SiteMembersTable {
  site_id: string;
  user_id: string;
  role: 'owner' | 'moderator';
  created_at: number;
}

export interface InvitesTable {
  /** SHA-256 of the invite token. */
  id: string;
  site_id: string;
  email: string;
  role: 'owner' | 'moderator';
  created_by: string;
  created_at: number;
  expires_at: number;
  accepted_at: number | null;
}

export interface SessionsTable {
  /** SHA-256 of the cookie's token: a stolen database holds no usable session. */
  id: string;
  user_id: string;
  csrf_token: string;
  user_agent: string;
  created_at: number;
  last_seen_at: number;
  expires_at: number;
}

export interface PasskeysTable {
  /** The credential id, base64url. */
  id: string;
  user_id: string;
  /** COSE public key, base64url. */
  public_key: string;
  counter: number;
  /** JSON array of transport hints. */
  transports: string;
  name: string;
  created_at: number;
  last_used_at: number | null;
}

export interface AuthChallengesTable {
  challenge: string;
  user_id: string | null;
  purpose: 'register' | 'login';
  expires_at: number;
}

export interface BansTable {
  id: string;
  site_id: string;
  kind: 'email' | 'client';
  value_hash: string;
  label: string;
  reason: string;
  created_by: string;
  created_at: number;
  /** When the ban stops applying; null: never. */
  expires_at: ColumnType<number | null, number | null | undefined, number | null>;
}

export interface AuditLogTable {
  id: string;
  site_id: string | null;
  actor_id: string;
  actor_email: string;
  action: string;
  target_id: string | null;
  before_json: string | null;
  after_json: string | null;
  created_at: number;
  /** Shared by the entries one bulk action wrote; null for a single change. */
  batch_id: ColumnType<string | null, string | null | undefined, string | null>;
}

/** Where an imported comment came from: `<format>:<the source's id>`, per site. */
export interface ImportOriginsTable {
  site_id: string;
  origin: string;
  comment_id: string;
}

/** A message waiting to be sent, being sent, sent, or given up on. */
export interface MailOutboxTable {
  id: string;
  recipient: string;
  /** JSON of `{ subject, text, html, headers }`. */
  message: string;
  created_at: number;
  attempts: Generated<number>;
  next_attempt_at: number;
  /** While a sender holds the message; a claim past this time may be taken over. */
  lease_until: number | null;
  claim_id: string | null;
  sent_at: number | null;
  /** Set when the last attempt failed and no more will be made. */
  failed_at: number | null;
  last_error: string | null;
}

export type MailLevel = 'off' | 'held' | 'all';

/** Which comments a member of a site is mailed about; no row: the role's default. */
export interface MailPreferencesTable {
  site_id: string;
  user_id: string;
  level: MailLevel;
}

/** A reader's address on one site, from one browser, asked to be told of replies. */
export interface MailSubscriptionsTable {
  id: string;
  site_id: string;
  email: string;
  email_hash: string;
  /** Keyed hash of the widget's per-browser key; '' when none was sent. */
  browser_hash: string;
  /** The reader's language, as the widget's `data-lang` gave it. */
  lang: string;
  /** The origin the reader reached Parley at, for the links in their mails. */
  origin: string;
  created_at: number;
  confirm_sent_at: number | null;
  confirmed_at: number | null;
  unsubscribed_at: number | null;
}

/** A comment whose replies are mailed to a subscription. */
export interface MailWatchesTable {
  comment_id: string;
  subscription_id: string;
}

/** A reply waiting to go out in the next mail to its subscriber. */
export interface MailReplyNoticesTable {
  id: string;
  subscription_id: string;
  comment_id: string;
  created_at: number;
  /** The mail it was taken into; null until then. */
  digest_id: string | null;
  claimed_at: number | null;
}

/** One-click moderation links already used: each mail's links work once. */
export interface MailLinkUsesTable {
  nonce: string;
  used_at: number;
}

/** A site's webhook: where comment events are posted, signed with `secret`. */
export interface WebhooksTable {
  id: string;
  site_id: string;
  url: string;
  secret: string;
  /** Comma-separated event names, such as `comment.created,comment.deleted`. */
  events: string;
  created_by: string;
  created_at: number;
}

export type DeliveryStatus = 'pending' | 'delivered' | 'failed';

/** One event for one webhook: its payload, and how its attempts went (the delivery log). */
export interface WebhookDeliveriesTable {
  id: string;
  webhook_id: string;
  event: string;
  comment_id: string | null;
  payload: string;
  status: DeliveryStatus;
  attempts: Generated<number>;
  next_attempt_at: number;
  lease_until: number | null;
  lease_token: string | null;
  response_code: number | null;
  duration_ms: number | null;
  error: string | null;
  created_at: number;
  last_attempt_at: number | null;
}

/** A privacy link mailed to a commenter: the SHA-256 of its token, and the email it proves. */
export interface PrivacyTokensTable {
  id: string;
  email: string;
  expires_at: number;
}

export interface Database {
  sites: SitesTable;
  threads: ThreadsTable;
  comments: CommentsTable;
  rate_limits: RateLimitsTable;
  settings: SettingsTable;
  users: UsersTable;
  site_members: SiteMembersTable;
  invites: InvitesTable;
  sessions: SessionsTable;
  passkeys: PasskeysTable;
  auth_challenges: AuthChallengesTable;
  bans: BansTable;
  audit_log: AuditLogTable;
  import_origins: ImportOriginsTable;
  votes: VotesTable;
  mail_outbox: MailOutboxTable;
  mail_preferences: MailPreferencesTable;
  mail_subscriptions: MailSubscriptionsTable;
  mail_watches: MailWatchesTable;
  mail_reply_notices: MailReplyNoticesTable;
  mail_link_uses: MailLinkUsesTable;
  webhooks: WebhooksTable;
  webhook_deliveries: WebhookDeliveriesTable;
  privacy_tokens: PrivacyTokensTable;
}

export type SiteRow = Selectable<SitesTable>;
export type ThreadRow = Selectable<ThreadsTable>;
export type CommentRow = Selectable<CommentsTable>;
export type NewComment = Insertable<CommentsTable>;
export type UserRow = Selectable<UsersTable>;
export type SessionRow = Selectable<SessionsTable>;
export type PasskeyRow = Selectable<PasskeysTable>;
export type InviteRow = Selectable<InvitesTable>;
export type AuthChallengeRow = Selectable<AuthChallengesTable>;
export type MemberRow = Selectable<SiteMembersTable>;
export type BanRow = Selectable<BansTable>;
export type AuditRow = Selectable<AuditLogTable>;
export type NewAuditRow = Insertable<AuditLogTable>;
export type NewBanRow = Insertable<BansTable>;
export type OutboxRow = Selectable<MailOutboxTable>;
export type SubscriptionRow = Selectable<MailSubscriptionsTable>;
export type WebhookRow = Selectable<WebhooksTable>;
export type DeliveryRow = Selectable<WebhookDeliveriesTable>;
export type NewDeliveryRow = Insertable<WebhookDeliveriesTable>;
