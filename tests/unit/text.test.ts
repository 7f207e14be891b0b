import { describe, expect, it } from 'vitest';
import { fieldsFromIssues } from '../../server/errors.ts';
import { CreateBanSchema, SignInSchema, SiteSettingsSchema } from '../../shared/admin-schemas.ts';
import { CreateCommentSchema } from '../../shared/schemas.ts';
import { NUL_MESSAGE } from '../../shared/text.ts';

const comment = { url: 'https://blog.example/a/', body: 'Hello', name: 'Ada', email: 'ada@example.com' };

describe('strings in the shared schemas', () => {
  it('refuse a NUL with the same message in every field, before any length or format complaint', () => {
    const cases = [
      [CreateCommentSchema, { ...comment, body: 'He\0llo' }, 'body'],
      [CreateCommentSchema, { ...comment, name: '\0' }, 'name'],
      [CreateCommentSchema, { ...comment, email: 'ada\0@example.com' }, 'email'],
      [CreateCommentSchema, { ...comment, url: `https://blog.example/${'a'.repeat(3000)}\0` }, 'url'],
      [SignInSchema, { email: 'a@example.com', password: '\0' }, 'password'],
      [CreateBanSchema, { commentId: 'x', kinds: ['email'], reason: 'spam\0' }, 'reason'],
    ] as const;
    for (const [schema, input, field] of cases) {
      const result = schema.safeParse(input);
      expect(fieldsFromIssues(result.error?.issues ?? [])[field], field).toBe(NUL_MESSAGE);
    }
    const words = SiteSettingsSchema.shape.blockedWords.safeParse(['ok', 'b\0ad']);
    expect(fieldsFromIssues(words.error?.issues ?? [])).toEqual({ 1: NUL_MESSAGE });
  });

  it('keep a lone surrogate as U+FFFD, so every store holds the same text', () => {
    const parsed = CreateCommentSchema.parse({ ...comment, body: 'a\uD800b' });
    expect(parsed.body).toBe('a\uFFFDb');
  });
});
