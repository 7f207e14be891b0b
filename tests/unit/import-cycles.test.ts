import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/*
 * No import cycles in the server and its schemas, type-only imports included: a shared type that lives in a
 * module importing its users once tied 19 server files into one cycle (AppContext in app.ts).
 */

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const FOLDERS = ['server', 'shared'];

type Graph = Map<string, string[]>;

function sourceFiles(folder: string): string[] {
  return readdirSync(join(ROOT, folder), { recursive: true, encoding: 'utf8' })
    .filter((path) => path.endsWith('.ts'))
    .map((path) => join(folder, path).split('\\').join('/'));
}

/** Each file's relative imports (static, dynamic and type-only), as paths from the repository root. */
function importGraph(): Graph {
  const graph: Graph = new Map();
  for (const file of FOLDERS.flatMap(sourceFiles)) {
    const { importedFiles } = ts.preProcessFile(readFileSync(join(ROOT, file), 'utf8'), true, true);
    const local = importedFiles
      .map((imported) => imported.fileName)
      .filter((name) => name.startsWith('.'))
      .map((name) =>
        relative(ROOT, resolve(ROOT, dirname(file), name))
          .split('\\')
          .join('/'),
      );
    graph.set(file, local);
  }
  return graph;
}

/** Every cycle's files, one cycle per strongly connected component of more than one file (or a self-import). */
function findCycles(graph: Graph): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  let next = 0;

  const visit = (file: string) => {
    index.set(file, next);
    low.set(file, next);
    next++;
    stack.push(file);
    onStack.add(file);
    for (const target of graph.get(file) ?? []) {
      if (!graph.has(target)) continue;
      if (!index.has(target)) {
        visit(target);
        low.set(file, Math.min(low.get(file) ?? 0, low.get(target) ?? 0));
      } else if (onStack.has(target)) {
        low.set(file, Math.min(low.get(file) ?? 0, index.get(target) ?? 0));
      }
    }
    if (low.get(file) !== index.get(file)) return;
    const component: string[] = [];
    let member: string | undefined;
    do {
      member = stack.pop();
      if (member === undefined) break;
      onStack.delete(member);
      component.push(member);
    } while (member !== file);
    if (component.length > 1 || graph.get(file)?.includes(file)) cycles.push(component.sort());
  };

  for (const file of graph.keys()) if (!index.has(file)) visit(file);
  return cycles;
}

describe('imports', () => {
  it('finds a cycle, type-only imports counted', () => {
    const graph: Graph = new Map([
      ['app.ts', ['routes/a.ts', 'config.ts']],
      ['routes/a.ts', ['app.ts']],
      ['config.ts', []],
      ['self.ts', ['self.ts']],
    ]);
    expect(findCycles(graph)).toEqual([['app.ts', 'routes/a.ts'], ['self.ts']]);
    expect(
      findCycles(
        new Map([
          ['a.ts', ['b.ts']],
          ['b.ts', []],
        ]),
      ),
    ).toEqual([]);
  });

  it('form no cycle in server/ and shared/', () => {
    const graph = importGraph();
    expect(graph.size).toBeGreaterThan(50);
    expect(graph.get('server/app.ts')).toContain('server/config.ts');
    const cycles = findCycles(graph);
    expect(
      cycles,
      `Import cycles (move the shared part into a module of its own that imports none of its users):\n${cycles
        .map((cycle) => `  one cycle through ${cycle.join(', ')}`)
        .join('\n')}`,
    ).toEqual([]);
  });
});
