import { z } from '@hono/zod-openapi';
import { LIMITS } from './limits.ts';
import { text } from './text.ts';

/*
 * Privacy requests: a commenter asking for a link to their data (public API), and an owner downloading or erasing
 * a commenter's data from the dashboard (admin API). What is stored and why: docs/privacy.md.
 */

const EmailSchema = text().trim().check(z.email('Not an email address')).max(LIMITS.emailMax);

export const PrivacyRequestSchema = z.object({ email: EmailSchema }).openapi('PrivacyRequest');

export const PrivacyEmailSchema = z.object({ email: EmailSchema });

/** Everything stored under one email, as its owner downloads it. */
export const PersonalDataSchema = z
  .object({
    email: z.string(),
    exportedAt: z.number().int(),
    /** The keyed hash comments, bans and first-time checks know the email by. */
    emailHash: z.string(),
    comments: z.array(
      z.object({
        id: z.string(),
        site: z.string(),
        page: z.object({ url: z.string(), title: z.string().nullable() }),
        parentId: z.string().nullable(),
        status: z.string(),
        name: z.string(),
        email: z.string().nullable(),
        body: z.string(),
        html: z.string(),
        createdAt: z.number().int(),
        editedAt: z.number().int().nullable(),
        avatar: z.string(),
        /** Keyed hash of the address the comment was sent from. */
        clientHash: z.string(),
        /** Marked as sent from a browser whose reply subscription confirmed this email. */
        verified: z.boolean(),
      }),
    ),
    bans: z.array(
      z.object({
        site: z.string(),
        label: z.string(),
        reason: z.string(),
        createdAt: z.number().int(),
        expiresAt: z.number().int().nullable(),
      }),
    ),
    /** A dashboard account under this email, if any. */
    account: z.object({ name: z.string(), createdAt: z.number().int() }).nullable(),
    /** "Email me replies": one subscription per site and browser, with what it watches and what waits to be mailed. */
    subscriptions: z.array(
      z.object({
        id: z.string(),
        site: z.string(),
        email: z.string(),
        /** Keyed hash of the widget's per-browser key; empty when the post carried none. */
        browserHash: z.string(),
        lang: z.string(),
        /** The address the reader reached the server at; the links in their mails lead there. */
        origin: z.string(),
        createdAt: z.number().int(),
        confirmSentAt: z.number().int().nullable(),
        confirmedAt: z.number().int().nullable(),
        unsubscribedAt: z.number().int().nullable(),
        /** The comments whose replies are mailed. */
        watching: z.array(z.string()),
        /** Replies noted for the next mail, not yet sent. */
        waitingReplies: z.array(z.object({ commentId: z.string(), notedAt: z.number().int() })),
      }),
    ),
    /**
     * Mail addressed to this email still in the outbox: waiting, or sent or given up in the last 8 days. Only in
     * the person's own download: the outbox is not kept per site.
     */
    mail: z.array(
      z.object({
        id: z.string(),
        queuedAt: z.number().int(),
        sentAt: z.number().int().nullable(),
        failedAt: z.number().int().nullable(),
        attempts: z.number().int(),
        /** The subject, text and HTML parts and extra headers, as queued. */
        message: z.unknown(),
      }),
    ),
  })
  .openapi('PersonalData');

export const ErasedSchema = z
  .object({
    /** Comments removed outright. */
    removed: z.number().int(),
    /** Comments with replies, kept as empty placeholders so the replies keep their place. */
    placeholders: z.number().int(),
    /** Reply subscriptions removed, with what they watched: no more reply mail. */
    subscriptions: z.number().int(),
    /** Outbox messages to the email removed (the person's own erasure only). */
    mails: z.number().int(),
  })
  .openapi('Erased');

export type PersonalData = z.infer<typeof PersonalDataSchema>;
export type Erased = z.infer<typeof ErasedSchema>;
