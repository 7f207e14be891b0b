import { z } from '@hono/zod-openapi';
import { LIMITS } from './limits.ts';
import { text } from './text.ts';

/*
 * The request and response shapes of the public API. The server validates with these schemas and builds its
 * OpenAPI document from them; the widget imports only the inferred types (`import type`), never zod itself.
 */

const trimmed = (max: number) => text().trim().max(max, `At most ${max} characters`);

export const SortSchema = z.enum(['oldest', 'newest', 'top']).openapi({
  description: 'Top-level order of the thread: by age, or by up-votes (most first, then oldest)',
});

/** An http(s) URL that parses: the thread key is made of its host and path (`http://` alone had none). */
function isPageUrl(value: string) {
  if (!/^https?:\/\//i.test(value)) return false;
  try {
    new URL(value);
    return true;
  } catch {
    return false;
  }
}

/** Which thread: a page URL (normalized by the server) or a page id the blogger chose. */
export const ThreadRefSchema = z.object({
  url: text()
    .max(LIMITS.urlMax)
    .refine(isPageUrl, 'Must be an http(s) URL')
    .openapi({ example: 'https://blog.example.com/posts/hello/' }),
  pageId: trimmed(LIMITS.pageIdMax)
    .min(1)
    .optional()
    .openapi({ description: 'Overrides the URL as thread key' }),
  site: trimmed(64).min(1).optional().openapi({ description: 'Site id; the default site when absent' }),
});

export const ThreadQuerySchema = ThreadRefSchema.extend({
  sort: SortSchema.default('oldest'),
  cursor: text().max(200).optional().openapi({ description: 'From `nextCursor` of the previous page' }),
  limit: z.coerce.number().int().min(1).max(LIMITS.pageMax).default(LIMITS.pageDefault),
});

export const CreateCommentSchema = ThreadRefSchema.extend({
  title: trimmed(LIMITS.titleMax).optional(),
  parentId: text().max(40).nullish(),
  name: trimmed(LIMITS.nameMax).optional(),
  email: z
    .union([z.literal(''), text().check(z.email('Not an email address')).max(LIMITS.emailMax)])
    .optional(),
  body: text()
    .max(LIMITS.bodyMax, `At most ${LIMITS.bodyMax} characters`)
    .refine((value) => value.trim().length > 0, 'Write something first'),
  /** Honeypot: hidden from people, filled in by naive bots. */
  website: text().max(500).optional(),
  /** "Email me replies": with an email, a confirmation mail first, then a mail for replies to this comment. */
  notify: z.boolean().optional(),
  /**
   * The widget's random per-browser key; the server keeps only its keyed hash. A confirmed email ties it to this
   * browser, whose later comments with that email are marked `verified`.
   */
  browserKey: text()
    .regex(/^[A-Za-z0-9_-]{22,64}$/, 'Not a browser key')
    .optional(),
  /** The reader's language (the widget's `data-lang`), for the mails they asked for. */
  lang: text()
    .max(35)
    .regex(/^[a-z]{2,3}(-[a-z0-9]{2,8})*$/i, 'Not a language tag')
    .optional(),
});

export const UpdateCommentSchema = z.object({
  body: CreateCommentSchema.shape.body,
});

export const PreviewSchema = z.object({ body: CreateCommentSchema.shape.body });

export const AuthorSchema = z.object({
  /** Empty when the reader gave no name (the widget shows a localized "Anonymous") and on deleted comments. */
  name: z.string(),
  /** Six hex digits that seed the generated avatar; derived from a keyed hash, never the email itself. */
  avatar: z.string().regex(/^[0-9a-f]{6}$/),
});

export const CommentSchema = z
  .object({
    id: z.string(),
    parentId: z.string().nullable(),
    depth: z.number().int(),
    author: AuthorSchema,
    /** Sanitized HTML rendered by the server; empty for a deleted comment. */
    html: z.string(),
    createdAt: z.number().int().openapi({ description: 'Epoch milliseconds' }),
    editedAt: z.number().int().nullable(),
    /** `pending` is only ever shown to the comment's own author, right after posting (moderation). */
    status: z.enum(['approved', 'pending', 'deleted']),
    /** Written by the site's owner or a moderator from the dashboard, on a site that shows the badge. */
    isOwner: z.boolean(),
    /** Pinned by a moderator: also listed in `ThreadView.pinned`. */
    pinned: z.boolean(),
    /** A moderator changed the text. */
    editedByModerator: z.boolean(),
    /** Readers' up-votes; 0 on a deleted comment. */
    votes: z.number().int(),
    /** Posted from a browser whose reader confirmed this email address by mail; absent otherwise. */
    verified: z.literal(true).optional(),
  })
  .openapi('Comment');

export const ThreadSchema = z
  .object({
    thread: z.object({
      key: z.string(),
      title: z.string().nullable(),
      locked: z.boolean(),
      /** Comments shown in the thread, deleted placeholders excluded. */
      commentCount: z.number().int(),
      /** Moves with every change readers can see; the live stream resumes from it (`since`). */
      version: z.number().int(),
    }),
    /** Depth-first order: a comment's replies follow it. A page may end inside a subtree. */
    comments: z.array(CommentSchema),
    nextCursor: z.string().nullable(),
    /** Pinned comments in thread order, to show above it; sent with the first page only (empty after). */
    pinned: z.array(CommentSchema),
    settings: z.object({
      editWindowMs: z.number().int(),
      maxDepth: z.number().int(),
      requireName: z.boolean(),
      requireEmail: z.boolean(),
      /** none: comments show at once; first-time, all: they may wait for a moderator (status `pending`). */
      moderation: z.enum(['none', 'first-time', 'all']),
      /** Present when the server sends mail: the widget offers "Email me replies". */
      mail: z.literal(true).optional(),
    }),
  })
  .openapi('Thread');

export const CreatedCommentSchema = z
  .object({
    comment: CommentSchema,
    /** Proves authorship for edit and delete; the server keeps only its hash. */
    editToken: z.string(),
    editableUntil: z.number().int(),
  })
  .openapi('CreatedComment');

export const PreviewResultSchema = z.object({ html: z.string() });

export const OwnCommentsRequestSchema = z.object({
  /** Comments this browser wrote, with the edit tokens it was given. */
  comments: z
    .array(z.object({ id: text().max(40), token: text().min(1).max(200) }))
    .min(1)
    .max(50),
});

export const OwnCommentsSchema = z
  .object({
    /** Those that still exist and whose token matches, pending ones included, in the order asked. */
    comments: z.array(CommentSchema),
  })
  .openapi('OwnComments');

export const VoteSchema = z.object({
  /** The per-browser key the widget keeps (`browserKey()`); the server stores only its keyed hash. */
  key: text().regex(/^[A-Za-z0-9_-]{22,64}$/, 'Not a browser key'),
  /** true: vote for the comment; false: take the vote back. Either, repeated, changes nothing. */
  voted: z.boolean(),
});

export const VoteResultSchema = z
  .object({
    id: z.string(),
    /** The comment's count after this vote. */
    votes: z.number().int(),
    /** Whether this browser's vote now stands, as asked. */
    voted: z.boolean(),
  })
  .openapi('VoteResult');

export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      fields: z.record(z.string(), z.string()).optional(),
    }),
  })
  .openapi('Error');

export type Sort = z.infer<typeof SortSchema>;
export type CommentView = z.infer<typeof CommentSchema>;
export type ThreadView = z.infer<typeof ThreadSchema>;
export type CreatedComment = z.infer<typeof CreatedCommentSchema>;
export type OwnComments = z.infer<typeof OwnCommentsSchema>;
export type VoteResult = z.infer<typeof VoteResultSchema>;
