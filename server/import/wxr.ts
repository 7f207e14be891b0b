import { decodeEntities } from './html-text.ts';
import { ImportFormatError, type ImportRecord, isUrl, parseTime, recordOrInvalid } from './records.ts';
import { childText, type XmlNode, xmlElements } from './xml.ts';

/*
 * WordPress's "Tools → Export" file (WXR): RSS with one <item> per post, its comments inside it as <wp:comment>.
 * The <wp:author> entries come first and say which user id belongs to each post author (<dc:creator>), so a comment
 * with that <wp:comment_user_id> is the post author's own and carries the Author badge.
 */

const STATUS = { '1': 'approved', '0': 'pending', spam: 'spam', trash: 'deleted' } as const;

/** WordPress writes `2014-05-02 08:00:00`; the `_gmt` variant is UTC, and is all zeros when it was never set. */
function wordpressTime(comment: XmlNode, where: string): number {
  const gmt = childText(comment, 'wp:comment_date_gmt');
  const value = gmt && !gmt.startsWith('0000') ? gmt : childText(comment, 'wp:comment_date');
  return parseTime(value && `${value.replace(' ', 'T')}Z`, 'wp:comment_date_gmt', where);
}

export async function* readWxr(chunks: AsyncIterable<string>): AsyncGenerator<ImportRecord> {
  const authorIds = new Map<string, string>();
  for await (const node of xmlElements(chunks, 2)) {
    if (node.name === 'wp:author') {
      authorIds.set(childText(node, 'wp:author_login'), childText(node, 'wp:author_id'));
      continue;
    }
    if (node.name !== 'item') continue;
    const comments = node.children.filter((child) => child.name === 'wp:comment');
    if (comments.length === 0) continue;
    const postId = childText(node, 'wp:post_id');
    const url = childText(node, 'link') || childText(node, 'guid');
    yield recordOrInvalid(() => {
      if (!postId)
        throw new ImportFormatError(`line ${node.line}`, 'an <item> with comments has no <wp:post_id>');
      if (!isUrl(url)) throw new ImportFormatError(`line ${node.line}`, `<link> "${url}" is not a URL`);
      return { kind: 'thread', ref: postId, url, title: decodeEntities(childText(node, 'title')) || null };
    });

    const authorId = authorIds.get(childText(node, 'dc:creator'));
    for (const comment of comments) {
      const where = `line ${comment.line}`;
      const type = childText(comment, 'wp:comment_type');
      if (type === 'pingback' || type === 'trackback') {
        yield { kind: 'loss', what: 'pingbacks and trackbacks' };
        continue;
      }
      if (childText(comment, 'wp:comment_author_url')) yield { kind: 'loss', what: 'author URLs' };
      yield recordOrInvalid(() => {
        const ref = childText(comment, 'wp:comment_id');
        if (!ref) throw new ImportFormatError(where, '<wp:comment> has no <wp:comment_id>');
        const approved = childText(comment, 'wp:comment_approved');
        const status = STATUS[approved as keyof typeof STATUS];
        if (!status) {
          throw new ImportFormatError(
            where,
            `<wp:comment_approved> "${approved}" is not 1, 0, spam or trash`,
          );
        }
        const parent = childText(comment, 'wp:comment_parent');
        const userId = childText(comment, 'wp:comment_user_id');
        return {
          kind: 'comment',
          ref,
          threadRef: postId,
          parentRef: parent && parent !== '0' ? parent : null,
          status,
          authorName: childText(comment, 'wp:comment_author'),
          authorEmail: childText(comment, 'wp:comment_author_email') || null,
          body: '',
          bodyHtml: childText(comment, 'wp:comment_content'),
          createdAt: wordpressTime(comment, where),
          isOwner: Boolean(authorId && userId && userId !== '0' && userId === authorId),
          address: childText(comment, 'wp:comment_author_IP') || null,
        };
      });
    }
  }
}
