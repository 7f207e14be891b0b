import type { CommentView, VoteResult } from '../shared/schemas.ts';
import { type Result, request } from './api.ts';
import { t } from './i18n.ts';
import { browserKey, write } from './identity.ts';
import { read } from './storage.ts';

/*
 * Up-votes. The server counts one per browser key (`browserKey()`) and keeps only its hash, so it cannot say which
 * comments a reader voted for without being sent the key on every read, which would make every thread page
 * personal and uncacheable. The widget remembers its own votes here instead, per server; the server's answer to
 * each vote is the truth, so a memory lost or out of date mends itself at the next click.
 */

const KEPT = 1000;
const votesKey = (origin: string) => `parley:votes:${origin}`;

/** Ids of the comments this browser has voted for on this server. */
export const loadVotes = (origin: string): string[] => read<string[]>(votesKey(origin), []);

/** Votes (or takes the vote back) and remembers where it stands, as the server says. */
export async function sendVote(origin: string, id: string, voted: boolean): Promise<Result<VoteResult>> {
  const result = await request<VoteResult>(`${origin}/api/comments/${id}/vote`, {
    method: 'POST',
    body: { key: browserKey(), voted },
  });
  if (result.ok) {
    const mine = loadVotes(origin).filter((each) => each !== id);
    if (result.value.voted) mine.push(id);
    write(votesKey(origin), mine.slice(-KEPT));
  }
  return result;
}

/**
 * A comment's up-vote button: pressed when this browser voted for it, named with the count. Until it comes (with
 * the chunk that writes) the comment shows the count as text in its place (comment.tsx).
 */
export function VoteButton({
  comment,
  voted,
  vote,
}: {
  comment: CommentView;
  voted: boolean;
  vote: (id: string, voted: boolean) => void;
}) {
  return (
    <button
      type="button"
      class="l v"
      part="action vote"
      aria-pressed={voted}
      aria-label={t('Up-vote: {n}', { n: comment.votes })}
      onClick={() => vote(comment.id, !voted)}
    >
      <span aria-hidden="true">▲ </span>
      {comment.votes}
    </button>
  );
}
