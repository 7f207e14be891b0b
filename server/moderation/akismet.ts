import type { AkismetConfig } from '../config.ts';

/** What Akismet's comment-check is told about a comment (https://akismet.com/developers/comment-check/). */
export interface AkismetComment {
  /** The front page of the site the comment was written on. */
  blog: string;
  userIp: string;
  userAgent: string;
  referrer: string;
  permalink: string;
  author: string;
  authorEmail: string;
  content: string;
}

export type AkismetAnswer = 'spam' | 'ham' | 'unknown';

/**
 * Asks Akismet whether a comment is spam. Never throws: a network error, a timeout or any answer other than
 * `true` or `false` (such as `invalid` for a wrong key) is `unknown`, logged, and the comment is kept.
 */
export async function checkWithAkismet(
  config: AkismetConfig,
  comment: AkismetComment,
  log: (error: unknown) => void,
): Promise<AkismetAnswer> {
  const form = new URLSearchParams({
    api_key: config.key,
    blog: comment.blog,
    user_ip: comment.userIp,
    user_agent: comment.userAgent,
    referrer: comment.referrer,
    permalink: comment.permalink,
    comment_type: 'comment',
    comment_author: comment.author,
    comment_author_email: comment.authorEmail,
    comment_content: comment.content,
  });
  try {
    const res = await fetch(`${config.endpoint}/1.1/comment-check`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'User-Agent': 'Parley | Akismet' },
      body: form,
      signal: AbortSignal.timeout(config.timeoutMs),
    });
    const answer = (await res.text()).trim();
    if (res.ok && answer === 'true') return 'spam';
    if (res.ok && answer === 'false') return 'ham';
    const help = res.headers.get('X-akismet-debug-help');
    log(
      new Error(
        `Akismet answered ${res.status} "${answer.slice(0, 100)}"${help ? ` (${help})` : ''}; the comment was kept`,
      ),
    );
  } catch (error) {
    log(
      new Error('Akismet did not answer in time or could not be reached; the comment was kept', {
        cause: error,
      }),
    );
  }
  return 'unknown';
}
