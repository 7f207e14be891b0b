/*
 * Looks for comment bodies that make the markdown renderer slow: `npx tsx bench/markdown-fuzz.ts [options]`.
 *
 * Builds bodies of the largest size a comment may have from pathological shapes: a random short unit of markdown
 * punctuation repeated, units nested (quotes, lists, emphasis and links inside each other), and random mixes. Each
 * body is rendered once to screen it; the slowest are timed again (median of five) and printed, worst first, as
 * shapes to add to tests/unit/markdown-worst-cases.ts. Times are CPU time. Stops by itself after --seconds.
 *
 *   --seconds S   how long to search (default 60)
 *   --seed N      seed of the generator, so a run can be repeated (default 1)
 *   --top N       how many of the worst to print (default 15)
 *   --known       instead of searching, time the bodies kept in tests/unit/markdown-worst-cases.ts
 */
import { parseArgs } from 'node:util';
import { renderMarkdown } from '../server/markdown.ts';
import { BODY_MAX } from '../shared/limits.ts';
import { WORST_CASES } from '../tests/unit/markdown-worst-cases.ts';

const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string', default: '60' },
    seed: { type: 'string', default: '1' },
    top: { type: 'string', default: '15' },
    known: { type: 'boolean', default: false },
  },
});

/** Mulberry32: small, seedable, good enough to pick shapes. */
function generator(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (max: number) => Math.floor(next() * max);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)] as T;
  return { int, pick };
}

const random = generator(Number(args.seed));

// The characters and fragments markdown-it gives meaning to, plus plain text so delimiters have runs to pair over.
const ATOMS = [
  '*',
  '_',
  '**',
  '__',
  '~~',
  '`',
  '``',
  '[',
  ']',
  '(',
  ')',
  '![',
  '](',
  '<',
  '>',
  '\\',
  '&',
  '#',
  '!',
  'a',
  'b',
  ' ',
  '  ',
  '\n',
  '\n\n',
  '> ',
  '- ',
  '* ',
  '1. ',
  '    ',
  'http://',
  'https://a.b',
  'www.',
  'a@b.c',
  'mailto:',
  '[a]',
  '[a]:',
  '"',
  "'",
  '|',
  '=',
  '---',
  ':',
  '.',
  '&amp;',
  '&#',
  ';',
  '\t',
] as const;

const NESTERS = [
  (depth: number) => '> '.repeat(depth),
  (depth: number) => `${'  '.repeat(depth)}* `,
  (depth: number) => `${'   '.repeat(depth)}1. `,
  (depth: number) => '> - '.repeat(depth),
] as const;

const fill = (unit: string) => unit.repeat(Math.ceil(BODY_MAX / Math.max(1, unit.length))).slice(0, BODY_MAX);

function randomUnit(): string {
  let unit = '';
  const atoms = 1 + random.int(6);
  for (let i = 0; i < atoms; i++) unit += random.pick(ATOMS);
  return unit;
}

/** One body of BODY_MAX characters, of one of the shapes. */
function candidate(): { shape: string; body: string } {
  switch (random.int(5)) {
    case 0:
    case 1: {
      const unit = randomUnit();
      return { shape: `repeat ${JSON.stringify(unit)}`, body: fill(unit) };
    }
    case 2: {
      // Opening delimiters, then the closing ones: nesting as deep as the length allows.
      const open = randomUnit();
      const close = randomUnit();
      const half = Math.floor(BODY_MAX / 2);
      return {
        shape: `nest ${JSON.stringify(open)} … ${JSON.stringify(close)}`,
        body: (fill(open).slice(0, half) + fill(close).slice(0, half)).slice(0, BODY_MAX),
      };
    }
    case 3: {
      const nester = random.int(NESTERS.length);
      const leaf = randomUnit();
      const lines: string[] = [];
      for (let depth = 0; lines.join('\n').length < BODY_MAX; depth++) {
        lines.push((NESTERS[nester] as (depth: number) => string)(depth % 200) + leaf);
      }
      return {
        shape: `block nesting #${nester} with ${JSON.stringify(leaf)}`,
        body: lines.join('\n').slice(0, BODY_MAX),
      };
    }
    default: {
      const units = Array.from({ length: 2 + random.int(4) }, randomUnit);
      let body = '';
      while (body.length < BODY_MAX) body += random.pick(units);
      return { shape: `mix ${JSON.stringify(units)}`, body: body.slice(0, BODY_MAX) };
    }
  }
}

/** CPU time of this process, so that other processes of a busy machine do not count. */
function timeOnce(body: string): number {
  const start = process.cpuUsage();
  renderMarkdown(body);
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

function median(body: string, runs = 5): number {
  const times = Array.from({ length: runs }, () => timeOnce(body)).sort((a, b) => a - b);
  return times[Math.floor(runs / 2)] ?? Number.NaN;
}

function report(title: string, found: Array<{ shape: string; body: string }>) {
  const timed = found.map((entry) => ({ ...entry, ms: median(entry.body) })).sort((a, b) => b.ms - a.ms);
  console.log(`${title}; slowest (median of 5, ms of CPU):`);
  for (const { shape, ms } of timed.slice(0, Number(args.top))) {
    console.log(`${ms.toFixed(1).padStart(8)} ms  ${shape}`);
  }
}

if (args.known) {
  for (let i = 0; i < 50; i++) timeOnce(fill('warm *up* [a](http://a.b) `x`\n'));
  const known = Object.entries(WORST_CASES).map(([shape, body]) => ({ shape, body }));
  report(`${known.length} bodies kept as tests`, known);
  process.exit(0);
}

const deadline = Date.now() + Number(args.seconds) * 1000;
const worst: Array<{ shape: string; body: string; ms: number }> = [];
const seen = new Set<string>();
let tried = 0;
for (let i = 0; i < 50; i++) timeOnce(fill('warm *up* [a](http://a.b) `x`\n'));
while (Date.now() < deadline) {
  const { shape, body } = candidate();
  if (seen.has(shape)) continue;
  seen.add(shape);
  tried++;
  const ms = timeOnce(body);
  if (worst.length < 100 || ms > (worst.at(-1)?.ms ?? 0)) {
    worst.push({ shape, body, ms });
    worst.sort((a, b) => b.ms - a.ms);
    worst.length = Math.min(worst.length, 100);
  }
}

report(`${tried} bodies of ${BODY_MAX} characters tried in ${args.seconds} s`, worst);
