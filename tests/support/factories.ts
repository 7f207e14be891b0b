import { newId } from '../../server/ids.ts';
import type { CommentRow } from '../../server/store/schema.ts';

let clock = Date.UTC(2026, 0, 1);

/** A stored comment with plausible defaults; replies derive their place in the tree from `parent`. */
export function commentRow(
  threadId: string,
  parent?: CommentRow,
  overrides: Partial<CommentRow> = {},
): CommentRow {
  clock += 1000;
  const id = newId(clock);
  return {
    id,
    thread_id: threadId,
    parent_id: parent?.id ?? null,
    root_id: parent?.root_id ?? id,
    path: (parent?.path ?? '') + id,
    depth: parent ? parent.depth + 1 : 0,
    status: 'approved',
    status_reason: null,
    author_name: 'Mira Okafor',
    author_email: 'mira@example.org',
    avatar: 'a1b2c3',
    client_hash: 'client',
    body: 'Thanks for writing this — it’s the clearest explanation I’ve read.',
    html: '<p>Thanks for writing this — it’s the clearest explanation I’ve read.</p>\n',
    edit_token_hash: null,
    created_at: clock,
    edited_at: null,
    site_id: 'default',
    email_hash: null,
    author_user_id: null,
    is_owner: 0,
    pinned: 0,
    edited_by_moderator: 0,
    votes: 0,
    root_votes: parent?.root_votes ?? 0,
    verified: 0,
    ...overrides,
  };
}
