/*
 * Summarises a V8 CPU profile (`node --cpu-prof`, or `npm run bench -- --cpu-prof DIR`): self time by function and
 * by package, heaviest first, so the costs of a request can be read without opening DevTools.
 *
 *   npx tsx bench/profile.ts FILE.cpuprofile [--top N]
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { top: { type: 'string', default: '40' } },
});
const file = positionals[0];
if (!file) throw new Error('Usage: npx tsx bench/profile.ts FILE.cpuprofile [--top N]');
const top = Number(values.top);
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;

const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
const selfUs = new Map<number, number>();
profile.samples.forEach((id, index) => {
  selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0));
});
const totalUs = [...selfUs.values()].reduce((sum, us) => sum + us, 0);

/** Where a script lives, shortened to its package (or the file, for our own code). */
function origin(url: string): string {
  if (!url) return '(native)';
  const inModules = url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
  if (inModules?.[1]) return inModules[1];
  if (url.startsWith('node:')) return url;
  return url.replace(/^file:\/\/.*?\/(dist|server|shared)\//, '$1/');
}

const byFunction = new Map<string, number>();
const byOrigin = new Map<string, number>();
for (const [id, us] of selfUs) {
  const node = nodes.get(id);
  if (!node) continue;
  const { functionName, url, lineNumber } = node.callFrame;
  const where = origin(url);
  const name = `${functionName || '(anonymous)'}  ${where}${url ? `:${lineNumber + 1}` : ''}`;
  byFunction.set(name, (byFunction.get(name) ?? 0) + us);
  byOrigin.set(where, (byOrigin.get(where) ?? 0) + us);
}

// Time spent in each function and what it called, counted once per sample however deep the recursion.
const parents = new Map<number, number>();
for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);
const inclusive = new Map<string, number>();
for (const [id, us] of selfUs) {
  const seen = new Set<string>();
  for (let at: number | undefined = id; at !== undefined; at = parents.get(at)) {
    const frame = nodes.get(at)?.callFrame;
    if (!frame?.url) continue;
    const name = `${frame.functionName || '(anonymous)'}  ${origin(frame.url)}:${frame.lineNumber + 1}`;
    if (seen.has(name)) continue;
    seen.add(name);
    inclusive.set(name, (inclusive.get(name) ?? 0) + us);
  }
}

const table = (title: string, rows: Map<string, number>) => {
  console.log(`\n${title}`);
  for (const [name, us] of [...rows].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(
      `${((100 * us) / totalUs).toFixed(1).padStart(6)} %  ${(us / 1000).toFixed(0).padStart(7)} ms  ${name}`,
    );
  }
};
console.log(`${file}: ${(totalUs / 1000).toFixed(0)} ms sampled`);
table('Self time by package or file', byOrigin);
table('Self time by function', byFunction);
table('Total time by function (itself and what it called)', inclusive);
