import { describe, expect, it } from 'vitest';
import { newCommentRow } from '../../server/comment-row.ts';
import { keyedHash } from '../../server/crypto.ts';

const rowOf = (secret: string, name: string) =>
  newCommentRow(secret, {
    threadId: 't',
    siteId: 'default',
    status: 'approved',
    statusReason: null,
    name,
    email: null,
    emailHash: null,
    clientHash: 'c',
    body: 'b',
    html: '<p>b</p>\n',
    editTokenHash: null,
    now: 1_800_000_000_000,
  });

describe('avatars of commenters without an email', () => {
  it('are the keyed hash of the name, the same when kept, and never shared between secrets', async () => {
    const expected = (await keyedHash('secret-a', 'avatar:Zoë')).slice(0, 6);
    expect((await rowOf('secret-a', 'Zoë')).avatar).toBe(expected);
    expect((await rowOf('secret-a', 'Zoë')).avatar).toBe(expected);
    const other = (await keyedHash('secret-b', 'avatar:Zoë')).slice(0, 6);
    expect(other).not.toBe(expected);
    expect((await rowOf('secret-b', 'Zoë')).avatar).toBe(other);
  });

  it('are seeded by the id when there is no name', async () => {
    const row = await rowOf('secret-a', '');
    expect(row.avatar).toBe((await keyedHash('secret-a', `avatar:${row.id}`)).slice(0, 6));
  });
});
