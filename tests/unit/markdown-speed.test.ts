import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '../../server/markdown.ts';
import { WORST_CASES } from './markdown-worst-cases.ts';

/** The most CPU time any comment body may take to render. */
const BUDGET_MS = 20;
/*
 * The measure is the process's CPU time, which also counts V8's background garbage collection threads, and `npm
 * test` runs test files in parallel on a 2-core machine shared with other work: there the same render measured
 * from 9 to 24 ms. Hence twice the budget. It still fails on what it guards against: the inputs below took 150 to
 * 1500 ms before their fix, and anything that turns quadratic again lands far above it.
 */
const SLACK = 2;
const RUNS = 7;

/**
 * CPU time of the process rather than wall-clock time, so that other processes of a busy machine do not count;
 * the median of a few runs after a warm-up leaves out a garbage collection or a compilation landing in one.
 */
function medianCpuMs(work: () => void): number {
  work();
  work();
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = process.cpuUsage();
    work();
    const used = process.cpuUsage(start);
    times.push((used.user + used.system) / 1000);
  }
  return times.sort((a, b) => a - b)[Math.floor(RUNS / 2)] ?? Number.POSITIVE_INFINITY;
}

describe('markdown rendering time', () => {
  for (const [name, body] of Object.entries(WORST_CASES)) {
    it(`renders ${name} in under ${BUDGET_MS} ms`, () => {
      const ms = medianCpuMs(() => renderMarkdown(body));
      expect(ms, `${ms.toFixed(1)} ms of CPU`).toBeLessThan(BUDGET_MS * SLACK);
    });
  }
});
