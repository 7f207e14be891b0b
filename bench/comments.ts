/*
 * Comments shaped like the ones real blogs get: mostly a few sentences, some long with lists, quotes and links,
 * written with curly quotes, dashes and the odd non-Latin name. Built from a seeded generator, so every run posts
 * the same thread and figures stay comparable between runs.
 */

export const BODY_MIN = 80;
export const BODY_MAX = 1200;

export type Random = () => number;

/** A small deterministic generator (mulberry32); `Math.random` would make each run post a different thread. */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export const pick = <T>(random: Random, items: readonly T[]): T =>
  items[Math.floor(random() * items.length)] as T;

const OPENERS = [
  'Thanks for writing this up — it’s the clearest explanation I’ve read so far.',
  'Great post! I’ve been bitten by exactly this last month.',
  'I’m not sure I agree with the conclusion, but the benchmarks are really useful.',
  'Bookmarked. This is going straight into our team’s onboarding notes.',
  'Small correction: the flag was renamed in the last release, so the second snippet won’t run as is.',
  'Long-time reader, first-time commenter 👋',
  'This matches what we saw in production, almost to the millisecond.',
  'Honest question, not trying to start a flame war: why not just use a queue here?',
  'Ha, I wrote almost the same thing in 2019 and got shouted at on a forum for it.',
  'Merci pour l’article ! Very helpful even in my second language.',
];

const SENTENCES = [
  'We moved our comments from a hosted service to a single SQLite file and haven’t looked back.',
  'The part about “boring technology” resonated — most of our outages came from the clever bits.',
  'One thing I’d add: measure before you cache, because the cache hides where the time really goes.',
  'Our p99 dropped from 180 ms to about 20 ms once we stopped building the page on every request.',
  'I tried the approach from the third section on a Raspberry Pi and it held up surprisingly well.',
  'The trade-off you describe is real, but it only bites once you have more than one writer.',
  'It’s worth noting that the defaults changed recently, so older tutorials will mislead people.',
  'My colleague Zoë ran the same test on ARM and got numbers within 5 % of yours.',
  'Could you share the config you used? I’d love to reproduce the results on our hardware.',
  'I’m a bit sceptical of micro-benchmarks, though; real traffic is much burstier than that.',
  'That said, the write-up is honest about its limits, which is rare and appreciated.',
  'We hit the same wall at around 40 000 rows and fixed it with an index on (thread_id, path).',
  'For anyone reading later: the issue is fixed upstream, you just need to upgrade.',
  'The diagram in the middle made it click for me — more of those, please!',
  'As José put it in our team chat, “it’s fast enough until it isn’t”.',
  'I keep coming back to this post whenever someone suggests rewriting everything in a weekend.',
  'The section on backups alone is worth the read; restore drills are what most people skip.',
  'Privacy-wise I like that you never store the raw IP address, only a keyed hash of it.',
  '我们团队也遇到过同样的问题 — same problem here, different continent.',
  'Minor nit: the second chart’s y-axis says seconds but I think it means milliseconds.',
];

const LINKS = [
  'There’s a good follow-up discussion [on the author’s other post](https://blog.example.com/posts/caching-pitfalls/).',
  'I wrote about our migration here: https://notes.example.org/2024/moving-off-hosted-comments',
  'The relevant docs are at [the project site](https://docs.example.net/guide/configuration#limits), for reference.',
  'See also <https://example.com/rfc/9110#section-13.1.2> on weak validators and If-None-Match.',
];

const LISTS = [
  '- turn on WAL mode\n- keep transactions short\n- run `VACUUM` off-peak, not from a cron at noon',
  '1. measure\n2. change one thing\n3. measure again\n4. write it down — future you will thank you',
  '- **pros:** one file, no daemon, easy backups\n- **cons:** one writer at a time, no replication out of the box',
  '* Chrome: fine\n* Firefox: fine\n* Safari 17: the form loses focus after posting 🙃',
];

const QUOTES = [
  '> Most blogs get a few comments a day.\n\nTrue for most, but a post that hits the front page gets thousands in an hour.',
  '> The cache is keyed by the thread version.\n\nThis is the bit I’d have got wrong — nice and simple.',
];

const CODE = [
  '```sh\nPRAGMA journal_mode = WAL;\nPRAGMA synchronous = NORMAL;\n```',
  'We ended up with `Cache-Control: no-cache` plus an `ETag`, which gives cheap revalidation.',
];

const CLOSERS = [
  'Cheers!',
  'Keep it up.',
  'Thanks again 🙂',
  '— Ana',
  'Looking forward to part two…',
  'Good stuff.',
];

export const NAMES = [
  'Mira Okafor',
  'Zoë Lindqvist',
  'José Álvarez',
  'Øystein Berg',
  'Aoife Ní Bhriain',
  '李明',
  'Priya Raman',
  'Tomás',
  'kenji_t',
  '',
];

/** The length a body aims for: short ones are common, long ones rare, as on real blogs. */
const targetLength = (random: Random) => Math.round(BODY_MIN + (BODY_MAX - BODY_MIN) * random() ** 2);

/** A piece this comment has not used yet, when a few tries find one: people rarely say the same thing twice. */
function fresh(random: Random, items: readonly string[], used: Set<string>): string {
  let item = pick(random, items);
  for (let tries = 0; used.has(item) && tries < 8; tries++) item = pick(random, items);
  used.add(item);
  return item;
}

function paragraph(random: Random, used: Set<string>): string {
  const count = 1 + Math.floor(random() * 3);
  return Array.from({ length: count }, () => fresh(random, SENTENCES, used)).join(' ');
}

function block(random: Random, used: Set<string>): string {
  const kind = random();
  if (kind < 0.55) return paragraph(random, used);
  if (kind < 0.7) return fresh(random, LINKS, used);
  if (kind < 0.82) return fresh(random, LISTS, used);
  if (kind < 0.92) return fresh(random, QUOTES, used);
  return fresh(random, CODE, used);
}

/** A markdown body between BODY_MIN and BODY_MAX characters. */
export function commentBody(random: Random): string {
  const target = targetLength(random);
  const used = new Set<string>();
  const blocks = [pick(random, OPENERS)];
  const length = () => blocks.join('\n\n').length;
  while (length() < target) blocks.push(block(random, used));
  while (length() > BODY_MAX && blocks.length > 1) blocks.pop();
  while (length() < BODY_MIN) blocks.push(fresh(random, CLOSERS, used));
  if (random() < 0.3) {
    const closer = fresh(random, CLOSERS, used);
    if (length() + 2 + closer.length <= BODY_MAX) blocks.push(closer);
  }
  return blocks.join('\n\n');
}
