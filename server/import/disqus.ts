import { decodeEntities } from './html-text.ts';
import { ImportFormatError, type ImportRecord, isUrl, parseTime, recordOrInvalid } from './records.ts';
import { childText, type XmlNode, xmlElements } from './xml.ts';

/*
 * Disqus's XML export: every <thread> (a page) first, then every <post>, each naming its thread and parent by
 * `dsq:id`. Authors come without email unless the export was made with them; there is no pending state.
 */

const flag = (node: XmlNode, name: string) => childText(node, name) === 'true';
const refOf = (node: XmlNode, name: string) =>
  node.children.find((child) => child.name === name)?.attrs['dsq:id'] ?? null;

export async function* readDisqus(chunks: AsyncIterable<string>): AsyncGenerator<ImportRecord> {
  for await (const node of xmlElements(chunks, 1)) {
    const where = `line ${node.line}`;
    const ref = node.attrs['dsq:id'];
    if (node.name === 'thread') {
      const url = childText(node, 'link');
      yield recordOrInvalid(() => {
        if (!ref) throw new ImportFormatError(where, '<thread> has no dsq:id');
        if (!isUrl(url)) throw new ImportFormatError(where, `<link> "${url}" is not a URL`);
        return { kind: 'thread', ref, url, title: decodeEntities(childText(node, 'title')) || null };
      });
      continue;
    }
    if (node.name !== 'post') continue;
    const author = node.children.find((child) => child.name === 'author');
    if (author && childText(author, 'username'))
      yield { kind: 'loss', what: 'Disqus user names and avatars' };
    yield recordOrInvalid(() => {
      if (!ref) throw new ImportFormatError(where, '<post> has no dsq:id');
      const threadRef = refOf(node, 'thread');
      if (!threadRef) throw new ImportFormatError(where, `<post dsq:id="${ref}"> names no <thread>`);
      return {
        kind: 'comment',
        ref,
        threadRef,
        parentRef: refOf(node, 'parent'),
        status: flag(node, 'isDeleted') ? 'deleted' : flag(node, 'isSpam') ? 'spam' : 'approved',
        authorName: author ? childText(author, 'name') : '',
        authorEmail: (author && childText(author, 'email')) || null,
        body: '',
        bodyHtml: childText(node, 'message'),
        createdAt: parseTime(childText(node, 'createdAt'), '<createdAt>', where),
        isOwner: false,
        address: childText(node, 'ipAddress') || null,
      };
    });
  }
}
