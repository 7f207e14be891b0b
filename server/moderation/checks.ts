import type { Clock, Config } from '../config.ts';
import { ApiError } from '../errors.ts';
import type { EffectiveSettings } from '../site-settings.ts';
import type { CommentStatus } from '../store/schema.ts';
import type { Store } from '../store/store.ts';
import { checkWithAkismet } from './akismet.ts';
import { countLinks, findBlockedWord } from './words.ts';

/** A comment on its way in, with what the checks may look at. The client's address is never stored. */
export interface Submission {
  siteId: string;
  settings: EffectiveSettings;
  threadUrl: string;
  name: string;
  email: string | null;
  emailHash: string | null;
  clientHash: string;
  body: string;
  html: string;
  /** The hidden form field was filled in. */
  honeypot: boolean;
  request: { address: string | undefined; userAgent: string; referrer: string };
}

export type Verdict =
  | { action: 'pass' }
  | { action: 'hold'; status: 'pending' | 'spam'; reason: string }
  | { action: 'refuse'; error: ApiError };

/**
 * One step of the anti-spam pipeline. A `refuse` check always runs (a banned commenter is refused even when an
 * earlier check already held the comment); a `hold` check runs only while no earlier one has held it, so the
 * first reason is the one recorded and no paid service is asked about a comment already held.
 */
export interface Check {
  name: string;
  kind: 'refuse' | 'hold';
  run(submission: Submission): Verdict | Promise<Verdict>;
}

const PASS: Verdict = { action: 'pass' };
const hold = (status: 'pending' | 'spam', reason: string): Verdict => ({ action: 'hold', status, reason });

const BANNED_MESSAGE = 'You can no longer comment on this site';

/** What the checks read: bans and past comments, Akismet's settings, the time, and where errors go. */
export interface CheckDeps {
  store: Pick<Store, 'findBan' | 'hasApprovedComment'>;
  config: Pick<Config, 'akismet'>;
  /** Bans end: whether one is still in force depends on the time. */
  clock: Clock;
  logError: (error: unknown) => void;
}

/** The checks, by name, built over what they read. */
export function createChecks({ store, config, clock, logError }: CheckDeps) {
  const honeypot: Check = {
    name: 'honeypot',
    kind: 'hold',
    // Bots fill the hidden field; their comment is kept as spam (an owner can restore it), never shown.
    run: (s) => (s.honeypot ? hold('spam', 'honeypot') : PASS),
  };

  const banned: Check = {
    name: 'banned',
    kind: 'refuse',
    async run(s) {
      const commenter = { emailHash: s.emailHash, clientHash: s.clientHash };
      const ban = await store.findBan(s.siteId, commenter, clock.now());
      return ban ? { action: 'refuse', error: new ApiError(403, 'banned', BANNED_MESSAGE) } : PASS;
    },
  };

  const links: Check = {
    name: 'links',
    kind: 'hold',
    run: (s) => (countLinks(s.html) > s.settings.maxLinks ? hold('pending', 'links') : PASS),
  };

  const blockedWords: Check = {
    name: 'blocked words',
    kind: 'hold',
    run(s) {
      const word = findBlockedWord([s.body, s.name], s.settings.blockedWords);
      return word === undefined ? PASS : hold('pending', `blocked word: ${word}`);
    },
  };

  const moderationMode: Check = {
    name: 'moderation mode',
    kind: 'hold',
    async run(s) {
      const mode = s.settings.moderation;
      if (mode === 'all') return hold('pending', 'moderation: all');
      if (mode === 'first-time') {
        const known = await store.hasApprovedComment(s.siteId, {
          emailHash: s.emailHash,
          clientHash: s.clientHash,
        });
        return known ? PASS : hold('pending', 'first-time');
      }
      return PASS;
    },
  };

  const akismet: Check = {
    name: 'akismet',
    kind: 'hold',
    async run(s) {
      if (!config.akismet) return PASS;
      const answer = await checkWithAkismet(
        config.akismet,
        {
          blog: s.settings.origins[0] ?? new URL(s.threadUrl).origin,
          userIp: s.request.address ?? '',
          userAgent: s.request.userAgent,
          referrer: s.request.referrer,
          permalink: s.threadUrl,
          author: s.name,
          authorEmail: s.email ?? '',
          content: s.body,
        },
        logError,
      );
      return answer === 'spam' ? hold('spam', 'akismet') : PASS;
    },
  };

  return {
    /**
     * A new comment from a reader, in order (rate-limited before it gets here, ahead of validation). Owners'
     * replies from the dashboard skip the pipeline.
     */
    onPost: [honeypot, banned, links, blockedWords, moderationMode, akismet],
    /** A reader's edit of their own comment (rate-limited before it gets here): new text is checked again. */
    onEdit: [banned, links, blockedWords],
  };
}

/**
 * Runs the checks in order: throws the first refusal, and returns the status the comment gets with the reason of
 * the first check that held it (null when all passed).
 */
export async function runChecks(
  checks: readonly Check[],
  submission: Submission,
): Promise<{ status: CommentStatus; reason: string | null }> {
  let held: { status: 'pending' | 'spam'; reason: string } | undefined;
  for (const check of checks) {
    if (held && check.kind === 'hold') continue;
    const verdict = await check.run(submission);
    if (verdict.action === 'refuse') throw verdict.error;
    if (verdict.action === 'hold') held = { status: verdict.status, reason: verdict.reason };
  }
  return held ?? { status: 'approved', reason: null };
}
