import { keyedHash } from './crypto.ts';
import { newId } from './ids.ts';
import type { CommentRow, CommentStatus } from './store/schema.ts';

/** The keyed hash of a lowercased email: all that bans, first-time checks and avatars know of it. */
export const emailHashOf = (secret: string, email: string) => keyedHash(secret, `email:${email}`);

// A name's avatar seed, kept: the same names post again and again, and each keyed hash cost ~15 µs of a post.
const avatarSeeds = new Map<string, string>();
const AVATAR_SEEDS_KEPT = 1000;

async function avatarSeedOf(secret: string, name: string): Promise<string> {
  const key = `${secret}\u0000${name}`;
  let seed = avatarSeeds.get(key);
  if (seed === undefined) {
    seed = await keyedHash(secret, `avatar:${name}`);
    if (avatarSeeds.size >= AVATAR_SEEDS_KEPT) avatarSeeds.clear();
    avatarSeeds.set(key, seed);
  }
  return seed;
}

/** What a new comment is made of; its place in the tree, its avatar and its flags follow from it. */
export interface NewCommentInput {
  threadId: string;
  siteId: string;
  /** The comment it answers, if any. */
  parent?: Pick<CommentRow, 'id' | 'root_id' | 'path' | 'depth'> | undefined;
  status: CommentStatus;
  statusReason: string | null;
  name: string;
  /** Lowercased, and hashed with `emailHashOf` into `emailHash`. */
  email: string | null;
  emailHash: string | null;
  clientHash: string;
  body: string;
  html: string;
  editTokenHash: string | null;
  /** The site member who wrote it from the dashboard: shown with the author badge. */
  authorUserId?: string;
  now: number;
}

/**
 * The row of a new comment, from a reader or from the dashboard alike: one place decides the avatar, so one email
 * has one avatar wherever it writes.
 *
 * @example
 * const row = await newCommentRow(secret, { threadId, siteId, status: 'approved', statusReason: null, … });
 * await store.insertComment(row);
 */
export async function newCommentRow(secret: string, input: NewCommentInput): Promise<CommentRow> {
  const { parent } = input;
  const id = newId(input.now);
  // The email's keyed hash already identifies the person; without one, the name (or nothing) seeds it.
  const seed =
    input.emailHash ??
    (input.name ? await avatarSeedOf(secret, input.name) : await keyedHash(secret, `avatar:${id}`));
  return {
    id,
    thread_id: input.threadId,
    parent_id: parent?.id ?? null,
    root_id: parent?.root_id ?? id,
    path: (parent?.path ?? '') + id,
    depth: parent ? parent.depth + 1 : 0,
    status: input.status,
    status_reason: input.statusReason,
    author_name: input.name,
    author_email: input.email,
    avatar: seed.slice(0, 6),
    client_hash: input.clientHash,
    body: input.body,
    html: input.html,
    edit_token_hash: input.editTokenHash,
    created_at: input.now,
    edited_at: null,
    site_id: input.siteId,
    email_hash: input.emailHash,
    author_user_id: input.authorUserId ?? null,
    is_owner: input.authorUserId ? 1 : 0,
    pinned: 0,
    edited_by_moderator: 0,
    votes: 0,
    root_votes: 0,
    verified: 0,
  };
}
