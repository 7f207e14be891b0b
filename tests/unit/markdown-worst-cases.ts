import { BODY_MAX } from '../../shared/limits.ts';

/** `unit` repeated to the longest body a comment may have. */
const fill = (unit: string) => unit.repeat(Math.ceil(BODY_MAX / unit.length)).slice(0, BODY_MAX);

/** Lines nested one level deeper each, as deep as the length allows. */
const nested = (indent: (depth: number) => string, leaf: string) => {
  const lines: string[] = [];
  for (let depth = 0, length = 0; length < BODY_MAX; depth++) {
    const line = indent(depth) + leaf;
    lines.push(line);
    length += line.length + 1;
  }
  return lines.join('\n').slice(0, BODY_MAX);
};

/**
 * The slowest comment bodies found, each of the longest length allowed: the worst that `npx tsx
 * bench/markdown-fuzz.ts` found (times in ms before the fix, on the machine where they were found), then the
 * usual suspects of markdown parsers (delimiter runs, unclosed brackets, deep nesting).
 */
export const WORST_CASES: Record<string, string> = {
  // Found by the fuzzer: bare addresses that linkify checks against the rest of the paragraph.
  'repeat "#__https://a.b" (1550 ms)': fill('#__https://a.b'),
  'repeat "#__http://a.b"': fill('#__http://a.b'),
  'repeat "#_https://a.b"': fill('#_https://a.b'),
  'nest "#``https://a.b#" … "&# |  " (164 ms)':
    fill('#``https://a.b#').slice(0, BODY_MAX / 2) + fill('&# |  ').slice(0, BODY_MAX / 2),
  'nest ">\'https://a.b~~" … "~~a@b.c**.[&#" (45 ms)':
    fill(">'https://a.b~~").slice(0, BODY_MAX / 2) + fill('~~a@b.c**.[&#').slice(0, BODY_MAX / 2),
  'repeat ">a@b.c" (35 ms)': fill('>a@b.c'),
  'repeat "_![.__:~~" (35 ms)': fill('_![.__:~~'),
  'repeat "__>![|_" (32 ms)': fill('__>![|_'),
  'repeat "=a@b.c]~~" (28 ms)': fill('=a@b.c]~~'),
  'repeat "a@b.cb =  " (28 ms)': fill('a@b.cb =  '),
  'repeat "[a]:[=* " (27 ms)': fill('[a]:[=* '),
  'repeat "\'\\\\``\\n\\n" (27 ms)': fill("'\\``\n\n"),
  'repeat "http://a.b "': fill('http://a.b '),
  'repeat "www.a.b "': fill('www.a.b '),
  // The usual suspects.
  'repeat "a*b_"': fill('a*b_'),
  'repeat "["': fill('['),
  'repeat "[a]("': fill('[a]('),
  'repeat "[!["': fill('[!['),
  'repeat "**a"': fill('**a'),
  'repeat "*_"': fill('*_'),
  'repeat "~~a"': fill('~~a'),
  'repeat "`"': fill('`'),
  'repeat "``a`"': fill('``a`'),
  'repeat "<http://a"': fill('<http://a'),
  'repeat ">"': fill('>'),
  'quotes nested deeper each line': nested((depth) => '>'.repeat(depth), ' a'),
  'lists nested deeper each line': nested((depth) => `${'  '.repeat(depth)}* `, 'a'),
  'ordered lists nested deeper each line': nested((depth) => `${'   '.repeat(depth)}1. `, 'a'),
  'emphasis opened then closed':
    fill('*a **b ').slice(0, BODY_MAX / 2) + fill('b** a* ').slice(0, BODY_MAX / 2),
  'links opened then closed': fill('[a ').slice(0, BODY_MAX / 2) + fill('](b) ').slice(0, BODY_MAX / 2),
};
