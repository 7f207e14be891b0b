import { commentBody, NAMES, pick, type Random, seededRandom } from './comments.ts';

export const THREAD_SIZE = 200;
const TOP_LEVEL = 120;
const DEEPEST = 4;

interface Posted {
  id: string;
  depth: number;
}

export interface SeededThread {
  /** How many comments sit at each depth, index 0 being top level. */
  depths: number[];
}

/** Posts one comment through the API, as a reader's browser would. */
export async function postComment(origin: string, input: Record<string, unknown>): Promise<Posted> {
  const res = await fetch(`${origin}/api/comments`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(input),
    signal: AbortSignal.timeout(10_000),
  });
  if (res.status !== 201) throw new Error(`Seeding: POST answered ${res.status}: ${await res.text()}`);
  const { comment } = (await res.json()) as { comment: Posted };
  return comment;
}

/**
 * Where the next reply goes. Half the time it answers the latest comment, as a back-and-forth does; otherwise it
 * joins a conversation already under way as often as it starts one. That is how threads get deep; nothing goes
 * deeper than DEEPEST.
 */
function replyParent(random: Random, posted: Posted[]): Posted | undefined {
  const latest = posted.at(-1);
  if (latest && latest.depth < DEEPEST && random() < 0.5) return latest;
  const open = posted.filter((comment) => comment.depth < DEEPEST);
  const conversations = open.filter((comment) => comment.depth > 0);
  if (conversations.length > 0 && random() < 0.5) return pick(random, conversations);
  return open.length > 0 ? pick(random, open) : undefined;
}

/**
 * Seeds a thread of THREAD_SIZE comments on `pageUrl`: TOP_LEVEL at the top, the rest replies 1 to DEEPEST
 * levels down, interleaved as a discussion would be. The same every run.
 */
export async function seedThread(origin: string, pageUrl: string): Promise<SeededThread> {
  // Two streams, so the shape of the tree stays the same when the texts change.
  const random = seededRandom(20_240_611);
  const text = seededRandom(1_989);
  // Which of the posts are replies: spread over the whole discussion, never the very first post.
  const kinds = Array.from({ length: THREAD_SIZE }, (_, i) => i >= TOP_LEVEL);
  for (let i = kinds.length - 1; i > 1; i--) {
    const j = 1 + Math.floor(random() * i);
    [kinds[i], kinds[j]] = [kinds[j] ?? false, kinds[i] ?? false];
  }

  const posted: Posted[] = [];
  const depths = new Array<number>(DEEPEST + 1).fill(0);
  for (const isReply of kinds) {
    const parent = isReply ? replyParent(random, posted) : undefined;
    const name = pick(text, NAMES);
    const comment = await postComment(origin, {
      url: pageUrl,
      title: 'Running a comments server on one SQLite file',
      ...(parent && { parentId: parent.id }),
      ...(name && { name }),
      ...(text() < 0.4 && { email: `reader-${posted.length}@example.org` }),
      body: commentBody(text),
    });
    posted.push(comment);
    depths[comment.depth] = (depths[comment.depth] ?? 0) + 1;
  }
  return { depths };
}

/** Bodies for the write benchmark: varied, and not the ones of the seeded thread. */
export function writeBodies(count: number): string[] {
  const random = seededRandom(7);
  return Array.from({ length: count }, () => commentBody(random));
}
