import { constantTimeEqual, keyedHash } from '../crypto.ts';

/*
 * The links in mail: signed with the app secret, so that no one can make one; moderation and confirmation links
 * expire; a moderation mail's links work once between them (the store records their nonce when one is used).
 * Tokens hold only [0-9a-z.] and end with the signature.
 */

/** What a one-click moderation link does. */
export type MailAction = 'approve' | 'spam' | 'delete';

const ACTION_CODES: Record<MailAction, string> = { approve: 'a', spam: 's', delete: 'd' };
const CODE_ACTIONS = new Map(
  Object.entries(ACTION_CODES).map(([action, code]) => [code, action as MailAction]),
);

export type MailLink =
  | {
      kind: 'moderate';
      action: MailAction;
      commentId: string;
      userId: string;
      nonce: string;
      expires: number;
    }
  | { kind: 'confirm'; subscriptionId: string; expires: number }
  | { kind: 'unsubscribe'; subscriptionId: string };

const sign = async (secret: string, payload: string) =>
  (await keyedHash(secret, `mail:${payload}`)).slice(0, 32);

function payloadOf(link: MailLink): string {
  switch (link.kind) {
    case 'moderate':
      return [
        'm',
        ACTION_CODES[link.action],
        link.commentId,
        link.userId,
        link.nonce,
        link.expires.toString(36),
      ].join('.');
    case 'confirm':
      return ['c', link.subscriptionId, link.expires.toString(36)].join('.');
    case 'unsubscribe':
      return ['u', link.subscriptionId].join('.');
  }
}

/** The token of a link, to put in its URL. */
export async function linkToken(secret: string, link: MailLink): Promise<string> {
  const payload = payloadOf(link);
  return `${payload}.${await sign(secret, payload)}`;
}

const ID = /^[0-9a-z]{1,40}$/;

/** The link a token stands for, if its signature holds; its expiry is the caller's to check. */
export async function readLinkToken(secret: string, token: string): Promise<MailLink | undefined> {
  const parts = token.split('.');
  const signature = parts.pop() ?? '';
  if (parts.length < 2 || parts.length > 6 || !parts.every((part) => ID.test(part))) return undefined;
  const payload = parts.join('.');
  if (!constantTimeEqual(signature, await sign(secret, payload))) return undefined;
  const [kind, a = '', b = '', c = '', d = '', e = ''] = parts;
  if (kind === 'm' && parts.length === 6) {
    const action = CODE_ACTIONS.get(a);
    return (
      action && {
        kind: 'moderate',
        action,
        commentId: b,
        userId: c,
        nonce: d,
        expires: Number.parseInt(e, 36),
      }
    );
  }
  if (kind === 'c' && parts.length === 3)
    return { kind: 'confirm', subscriptionId: a, expires: Number.parseInt(b, 36) };
  if (kind === 'u' && parts.length === 2) return { kind: 'unsubscribe', subscriptionId: a };
  return undefined;
}
