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
  })
  .openapi('PersonalData');

export const ErasedSchema = z
  .object({
    /** Comments removed outright. */
    removed: z.number().int(),
    /** Comments with replies, kept as empty placeholders so the replies keep their place. */
    placeholders: z.number().int(),
  })
  .openapi('Erased');

export type PersonalData = z.infer<typeof PersonalDataSchema>;
export type Erased = z.infer<typeof ErasedSchema>;
