import { describe, expect, it } from 'vitest';
import { ID_LENGTH, newId, parseCursor } from '../../server/ids.ts';
import { canonicalUrl, threadKey } from '../../server/thread-key.ts';

describe('thread keys', () => {
  it.each([
    ['https://example.com/posts/a', 'example.com/posts/a'],
    ['https://example.com/posts/a/', 'example.com/posts/a'],
    ['http://www.example.com/posts/a', 'example.com/posts/a'],
    ['https://EXAMPLE.com:443/posts/a?utm_source=x#comments', 'example.com/posts/a'],
    ['https://example.com/posts/a/index.html', 'example.com/posts/a'],
    ['https://example.com:8443/posts/a', 'example.com:8443/posts/a'],
    ['https://example.com/', 'example.com'],
    ['https://example.com/Posts/A', 'example.com/Posts/A'],
    ['https://example.com/caf%C3%A9', 'example.com/caf%C3%A9'],
    ['https://example.com/café', 'example.com/caf%C3%A9'],
  ])('keys %s as %s', (url, key) => {
    expect(threadKey(url)).toBe(key);
  });

  it('prefers the page id the blogger gave', () => {
    expect(threadKey('https://example.com/a', 'post-17')).toBe('id:post-17');
  });

  it('records the page URL without query or fragment', () => {
    expect(canonicalUrl('https://example.com/a/?x=1#c')).toBe('https://example.com/a/');
  });
});

describe('ids', () => {
  it('sort in creation order, even within one millisecond', () => {
    const ids = Array.from({ length: 500 }, (_, i) => newId(1_700_000_000_000 + Math.floor(i / 100)));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.every((id) => id.length === ID_LENGTH)).toBe(true);
  });

  it('accept only whole paths of ids as cursors', () => {
    const id = newId(Date.now());
    expect(parseCursor(id)).toEqual({ path: id });
    expect(parseCursor(id + id)).toEqual({ path: id + id });
    expect(parseCursor(`12.${id}`)).toEqual({ path: id, votes: 12 });
    expect(parseCursor(id.slice(1))).toBeUndefined();
    expect(parseCursor(`${id.slice(1)}'`)).toBeUndefined();
    expect(parseCursor(`-1.${id}`)).toBeUndefined();
    expect(parseCursor(`1.${id.slice(1)}`)).toBeUndefined();
  });
});
