import type { Kysely } from 'kysely';
import type { Atomic } from './atomic.ts';
import type { Database } from './schema.ts';

/**
 * Readers' up-votes: one per comment and browser, taken back at will.
 *
 * @example
 * const { votes } = await store.setVote({ commentId, voterHash, voted: true, now: Date.now() });
 */
export interface VoteStore {
  /**
   * Records (`voted: true`) or takes back (`voted: false`) this voter's vote on a comment, in one unit: the vote
   * row, the comment's count and its thread's version (votes change what a thread page shows and, in the `top`
   * order, where). Voting twice, or taking back a vote never given, changes no count. Returns the comment's count
   * afterwards; 0 for a comment that does not exist.
   */
  setVote(input: { commentId: string; voterHash: string; voted: boolean; now: number }): Promise<{
    votes: number;
  }>;
}

export function voteQueries(db: Kysely<Database>, atomic: Atomic): VoteStore {
  return {
    async setVote({ commentId, voterHash, voted, now }) {
      const change = voted
        ? db
            .insertInto('votes')
            .values({ comment_id: commentId, voter_hash: voterHash, created_at: now })
            .onConflict((oc) => oc.columns(['comment_id', 'voter_hash']).doNothing())
        : db.deleteFrom('votes').where('comment_id', '=', commentId).where('voter_hash', '=', voterHash);
      // Counts are recounted rather than moved by one: a unit repeated still leaves the true count. D1 runs the
      // unit as one batch, so no statement can look at what an earlier one did.
      const count = db
        .selectFrom('votes')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('votes.comment_id', '=', commentId);
      await atomic([
        // Locks the comment's row first: on PostgreSQL a parallel vote on the same comment waits here until this
        // unit commits, and then counts with a snapshot that holds this vote. Without it, each of two parallel
        // units would recount without the other's vote. SQLite and D1 run one unit at a time anyway.
        db
          .updateTable('comments')
          .set((eb) => ({ votes: eb.ref('votes') }))
          .where('id', '=', commentId)
          .compile(),
        change.compile(),
        db.updateTable('comments').set({ votes: count }).where('id', '=', commentId).compile(),
        // Only a top-level comment is anyone's root: for a reply this changes no row.
        db.updateTable('comments').set({ root_votes: count }).where('root_id', '=', commentId).compile(),
        db
          .updateTable('threads')
          .set((eb) => ({ version: eb('version', '+', 1) }))
          .where('id', '=', db.selectFrom('comments').select('thread_id').where('id', '=', commentId))
          .compile(),
      ]);
      const row = await db
        .selectFrom('comments')
        .select('votes')
        .where('id', '=', commentId)
        .executeTakeFirst();
      return { votes: row?.votes ?? 0 };
    },
  };
}
