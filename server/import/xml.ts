import { SaxesParser } from 'saxes';
import { ImportFormatError } from './records.ts';

/** An element of interest and everything inside it; attributes and text as the file has them (entities decoded). */
export interface XmlNode {
  name: string;
  attrs: Record<string, string>;
  children: XmlNode[];
  text: string;
  /** The line its start tag is on, for error messages. */
  line: number;
}

/** The text of the first child with this name, trimmed; '' when there is none. */
export function childText(node: XmlNode, name: string): string {
  return node.children.find((child) => child.name === name)?.text.trim() ?? '';
}

/**
 * The elements at `depth` (the root element is at depth 0), each built whole, in document
 * order, while the rest of the document streams past: memory holds one element at a time, however large the file.
 * A malformed document throws an ImportFormatError naming the line.
 */
export async function* xmlElements(chunks: AsyncIterable<string>, depth: number): AsyncGenerator<XmlNode> {
  const parser = new SaxesParser({ position: true });
  const open: XmlNode[] = [];
  let level = 0;
  let ready: XmlNode[] = [];
  let rootSeen = false;

  parser.on('opentag', (tag) => {
    rootSeen = true;
    if (open.length > 0 || level === depth) {
      const node: XmlNode = {
        name: tag.name,
        attrs: tag.attributes as Record<string, string>,
        children: [],
        text: '',
        line: parser.line,
      };
      open.at(-1)?.children.push(node);
      open.push(node);
    }
    level += 1;
  });
  const onText = (text: string) => {
    const current = open.at(-1);
    if (current) current.text += text;
  };
  parser.on('text', onText);
  parser.on('cdata', onText);
  parser.on('closetag', () => {
    level -= 1;
    const done = open.pop();
    if (done && open.length === 0) ready.push(done);
  });

  const fail = (error: unknown): never => {
    const message = error instanceof Error ? error.message.replace(/^[^:]*:\d+:\d+: /, '') : String(error);
    throw new ImportFormatError(`line ${parser.line}`, `not well-formed XML (${message})`);
  };
  for await (const chunk of chunks) {
    try {
      parser.write(chunk);
    } catch (error) {
      fail(error);
    }
    const batch = ready;
    ready = [];
    yield* batch;
  }
  try {
    parser.close();
  } catch (error) {
    fail(error);
  }
  if (!rootSeen) throw new ImportFormatError('line 1', 'the file holds no XML element');
  yield* ready;
}
