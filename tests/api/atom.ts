import { SaxesParser } from 'saxes';

/** An Atom entry as a feed reader reads it: element text, unescaped once, as the XML says. */
export interface AtomEntry {
  id: string;
  title: string;
  author: string;
  content: string;
  contentType: string;
  link: string;
  published: string;
  updated: string;
}

export interface ParsedFeed {
  title: string;
  id: string;
  links: Array<{ rel: string; href: string }>;
  entries: AtomEntry[];
}

/** Parses an Atom document with a conforming XML parser; throws on anything not well-formed. */
export function parseAtom(xml: string): ParsedFeed {
  const parser = new SaxesParser({ xmlns: true });
  const feed: ParsedFeed = { title: '', id: '', links: [], entries: [] };
  const path: string[] = [];
  let entry: Partial<AtomEntry> | undefined;
  let text = '';
  let failure: Error | undefined;
  parser.on('error', (error) => {
    failure ??= error;
  });
  parser.on('opentag', (tag) => {
    if (tag.uri !== 'http://www.w3.org/2005/Atom') throw new Error(`Not Atom: ${tag.name}`);
    path.push(tag.local);
    text = '';
    const attr = (name: string) => String(tag.attributes[name]?.value ?? '');
    if (tag.local === 'entry') entry = {};
    if (tag.local === 'link') {
      if (entry) entry.link = attr('href');
      else feed.links.push({ rel: attr('rel'), href: attr('href') });
    }
    if (tag.local === 'content' && entry) entry.contentType = attr('type');
  });
  parser.on('text', (value) => {
    text += value;
  });
  parser.on('closetag', (tag) => {
    const parent = path.at(-2);
    path.pop();
    if (tag.local === 'entry' && entry) {
      feed.entries.push(entry as AtomEntry);
      entry = undefined;
    } else if (entry && parent === 'author' && tag.local === 'name') entry.author = text;
    else if (entry && parent === 'entry') {
      if (['id', 'title', 'content', 'published', 'updated'].includes(tag.local)) {
        (entry as Record<string, string>)[tag.local] = text;
      }
    } else if (parent === 'feed' && (tag.local === 'title' || tag.local === 'id')) feed[tag.local] = text;
    text = '';
  });
  parser.write(xml).close();
  if (failure) throw failure;
  return feed;
}
