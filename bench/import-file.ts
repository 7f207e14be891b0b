import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { parseArgs } from 'node:util';
import { commentBody, NAMES, pick, type Random, seededRandom } from './comments.ts';

/*
 * Writes a Disqus or WordPress export of a given size, shaped like a real blog's: pages with a few to a few hundred
 * comments, replies up to six deep, the author answering often, some spam and deleted comments. Seeded, so a size
 * always gives the same file.
 *
 *   npx tsx bench/import-file.ts --format disqus --mb 200 --out /tmp/disqus-200mb.xml
 */

export interface ImportFileOptions {
  format: 'disqus' | 'wxr';
  /** Stop after about this many bytes, or this many comments, whichever comes first. */
  bytes?: number;
  comments?: number;
  seed?: number;
}

const escapeXml = (text: string) =>
  text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
const cdata = (text: string) => `<![CDATA[${text.replaceAll(']]>', ']]]]><![CDATA[>')}]]>`;
const asHtml = (markdown: string) =>
  markdown
    .split(/\n{2,}/)
    .map((paragraph) => `<p>${escapeXml(paragraph).replaceAll('\n', '<br>')}</p>`)
    .join('');

interface Planned {
  id: number;
  parent: number;
  depth: number;
  time: number;
  status: 'approved' | 'spam' | 'deleted' | 'pending';
  byAuthor: boolean;
  name: string;
  body: string;
}

/** One page's comments: a tree grown at random, in time order. */
function plan(random: Random, firstId: number, start: number): Planned[] {
  const count = Math.floor(random() ** 3 * 300) + 2;
  const out: Planned[] = [];
  let time = start;
  for (let i = 0; i < count; i++) {
    time += Math.floor(random() * 6 * 3600_000);
    const parent = out.length > 0 && random() < 0.45 ? pick(random, out) : undefined;
    const depth = parent && parent.depth < 6 ? parent.depth + 1 : 0;
    const roll = random();
    out.push({
      id: firstId + i,
      parent: depth > 0 && parent ? parent.id : 0,
      depth,
      time,
      status: roll < 0.03 ? 'spam' : roll < 0.05 ? 'deleted' : roll < 0.06 ? 'pending' : 'approved',
      byAuthor: depth > 0 && random() < 0.3,
      name: pick(random, NAMES),
      body: commentBody(random),
    });
  }
  return out;
}

/** Writes the file and resolves with the number of comments in it. */
export async function writeImportFile(path: string, options: ImportFileOptions): Promise<number> {
  const random = seededRandom(options.seed ?? 42);
  const out = createWriteStream(path);
  const write = async (text: string) => {
    if (!out.write(text)) await once(out, 'drain');
  };
  const maxBytes = options.bytes ?? Number.POSITIVE_INFINITY;
  const maxComments = options.comments ?? Number.POSITIVE_INFINITY;
  let comments = 0;
  let page = 0;
  let time = Date.UTC(2012, 0, 1);
  const full = () => out.bytesWritten + out.writableLength >= maxBytes || comments >= maxComments;

  if (options.format === 'wxr') {
    await write(
      '<?xml version="1.0" encoding="UTF-8" ?>\n<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" ' +
        'xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:wp="http://wordpress.org/export/1.2/">\n' +
        '<channel>\n<title>Bench blog</title>\n<wp:wxr_version>1.2</wp:wxr_version>\n' +
        '<wp:author><wp:author_id>1</wp:author_id><wp:author_login>owner</wp:author_login></wp:author>\n',
    );
    while (!full()) {
      page += 1;
      time += 86_400_000;
      const planned = plan(random, comments + 1, time).slice(0, maxComments - comments);
      let item =
        `<item>\n<title>${cdata(`Post number ${page}`)}</title>\n<link>https://bench.example/${page}/</link>\n` +
        `<dc:creator>owner</dc:creator>\n<wp:post_id>${page}</wp:post_id>\n<wp:post_type>post</wp:post_type>\n`;
      for (const c of planned) {
        const approved = { approved: '1', pending: '0', spam: 'spam', deleted: 'trash' }[c.status];
        const date = new Date(c.time).toISOString().slice(0, 19).replace('T', ' ');
        item +=
          `<wp:comment>\n<wp:comment_id>${c.id}</wp:comment_id>\n` +
          `<wp:comment_author>${cdata(c.byAuthor ? 'Owner' : c.name)}</wp:comment_author>\n` +
          `<wp:comment_author_email>${cdata(`reader${c.id % 5000}@example.org`)}</wp:comment_author_email>\n` +
          `<wp:comment_author_IP>192.0.2.${c.id % 250}</wp:comment_author_IP>\n` +
          `<wp:comment_date_gmt>${date}</wp:comment_date_gmt>\n` +
          `<wp:comment_content>${cdata(c.body)}</wp:comment_content>\n` +
          `<wp:comment_approved>${approved}</wp:comment_approved>\n<wp:comment_type>comment</wp:comment_type>\n` +
          `<wp:comment_parent>${c.parent}</wp:comment_parent>\n<wp:comment_user_id>${c.byAuthor ? 1 : 0}</wp:comment_user_id>\n` +
          '</wp:comment>\n';
      }
      await write(`${item}</item>\n`);
      comments += planned.length;
    }
    await write('</channel>\n</rss>\n');
  } else {
    // Disqus lists every thread before any post; the pages are planned first, their posts written after.
    await write(
      '<?xml version="1.0" encoding="utf-8"?>\n<disqus xmlns="http://disqus.com" ' +
        'xmlns:dsq="http://disqus.com/disqus-internals">\n',
    );
    const pages: Planned[][] = [];
    let planned = 0;
    let estimate = 0;
    while (estimate < maxBytes && planned < maxComments) {
      page += 1;
      time += 86_400_000;
      const thread = plan(random, planned + 1, time).slice(0, maxComments - planned);
      pages.push(thread);
      planned += thread.length;
      estimate += thread.reduce((sum, c) => sum + c.body.length + 420, 250);
      await write(
        `<thread dsq:id="${page}">\n<id>post-${page}</id>\n<forum>bench</forum>\n` +
          `<link>https://bench.example/${page}/</link>\n<title>${escapeXml(`Post number ${page}`)}</title>\n` +
          `<createdAt>${new Date(time).toISOString()}</createdAt>\n</thread>\n`,
      );
    }
    for (const [index, thread] of pages.entries()) {
      for (const c of thread) {
        await write(
          `<post dsq:id="${c.id}">\n<id />\n<message>${cdata(asHtml(c.body))}</message>\n` +
            `<createdAt>${new Date(c.time).toISOString().slice(0, 19)}Z</createdAt>\n` +
            `<isDeleted>${c.status === 'deleted'}</isDeleted>\n<isSpam>${c.status === 'spam'}</isSpam>\n` +
            `<author>\n<name>${escapeXml(c.name)}</name>\n<isAnonymous>true</isAnonymous>\n</author>\n` +
            `<ipAddress>192.0.2.${c.id % 250}</ipAddress>\n<thread dsq:id="${index + 1}" />\n` +
            (c.parent ? `<parent dsq:id="${c.parent}" />\n` : '') +
            '</post>\n',
        );
      }
      comments += thread.length;
    }
    await write('</disqus>\n');
  }
  out.end();
  await once(out, 'finish');
  return comments;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      format: { type: 'string', default: 'disqus' },
      mb: { type: 'string', default: '200' },
      out: { type: 'string' },
    },
  });
  const format = values.format === 'wxr' ? 'wxr' : 'disqus';
  const path = values.out ?? `import-${format}-${values.mb}mb.xml`;
  const count = await writeImportFile(path, { format, bytes: Number(values.mb) * 1024 * 1024 });
  console.log(`Wrote ${path}: ${count.toLocaleString('en-US')} comments`);
}
