/** The lines of a text stream, without their line endings, each with its number (from 1). */
export async function* textLines(
  chunks: AsyncIterable<string>,
): AsyncGenerator<{ line: string; number: number }> {
  let rest = '';
  let number = 0;
  for await (const chunk of chunks) {
    rest += chunk;
    let end = rest.indexOf('\n');
    let start = 0;
    while (end !== -1) {
      number += 1;
      yield { line: rest.slice(start, end).replace(/\r$/, ''), number };
      start = end + 1;
      end = rest.indexOf('\n', start);
    }
    rest = rest.slice(start);
  }
  if (rest) yield { line: rest.replace(/\r$/, ''), number: number + 1 };
}

/** A whole text, as a stream of chunks (for a body already in memory). */
export async function* textChunks(text: string, size = 1 << 16): AsyncGenerator<string> {
  for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
}
