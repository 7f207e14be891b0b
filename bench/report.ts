import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';

export interface Measurement {
  scenario: string;
  reqPerSec: number;
  /** Responses in the first and in the last whole second of the run. */
  firstSecond: number;
  lastSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** Responses of another status than the scenario expects, plus socket errors and timeouts. */
  failures: number;
  /** Server CPU time per request: steadier than req/s when other work shares the machine. */
  cpuUsPerRequest: number;
  /** The same for this process, which runs autocannon on the same cores. */
  generatorCpuUsPerRequest: number;
  peakRssKib: number;
  /** Response bytes on the wire (headers and body) per request, as autocannon counts them. */
  bytesPerRequest: number;
  target: string;
  met: boolean;
}

export interface Report {
  engine: string;
  durationS: number;
  warmupS: number;
  connections: number;
  responseBytes: number;
  idleRssKib: number;
  /** False when the kernel would not reset the peak between scenarios, so each peak counts from the start. */
  peakPerScenario: boolean;
  seeded: string;
  loadBefore: string;
  revision: string;
  measurements: Measurement[];
}

export function machineInfo(): string {
  const cpuinfo = existsSync('/proc/cpuinfo') ? readFileSync('/proc/cpuinfo', 'utf8') : '';
  const model = cpuinfo.match(/^model name\s*:\s*(.+)$/m)?.[1]?.trim() ?? 'unknown CPU';
  return `${model}, ${availableParallelism()} cores, Node ${process.version}`;
}

/** The commit measured, marked when the server's code differs from it; empty outside a git checkout. */
export function revision(cwd: string): string {
  try {
    const git = (...args: string[]) =>
      execFileSync('git', args, { cwd, encoding: 'utf8', stdio: 'pipe' }).trim();
    const dirty = git('status', '--porcelain', '--', 'server', 'shared', 'package-lock.json') !== '';
    return `${git('rev-parse', '--short', 'HEAD')}${dirty ? ' with uncommitted changes' : ''}`;
  } catch {
    return '';
  }
}

/** The 1-minute load average before the run: other work on the machine skews every figure. */
export function loadBefore(): string {
  return loadavg()[0]?.toFixed(2) ?? '?';
}

const int = (value: number) => Math.round(value).toLocaleString('en-US');
const mib = (kib: number) => `${(kib / 1024).toFixed(1)} MiB`;

/** The figures as markdown, the same on the console and in results.md. */
export function renderReport(report: Report): string {
  const rows = report.measurements.map(
    (m) =>
      `| ${m.scenario} | ${int(m.reqPerSec)} | ${int(m.bytesPerRequest)} | ${int(m.firstSecond)} → ${int(m.lastSecond)} | ${m.p50Ms} | ${m.p99Ms} | ${int(m.cpuUsPerRequest)} | ${int(m.generatorCpuUsPerRequest)} | ${int(m.failures)} | ${mib(m.peakRssKib)} | ` +
      `${m.target} ${m.met ? '✅' : '❌'} |`,
  );
  return [
    `### ${report.engine}`,
    '',
    `- Machine: ${machineInfo()}; the load generator (autocannon) runs on the same cores as the server; ` +
      `load average ${report.loadBefore} before the run`,
    ...(report.revision ? [`- Code: commit ${report.revision}`] : []),
    `- ${report.connections} connections, ${report.durationS} s per scenario after ${report.warmupS} s of warm-up, ` +
      `loopback; ${report.seeded}`,
    `- Whole-thread response (\`limit=200\`): ${int(report.responseBytes)} bytes`,
    `- Server RSS at idle after seeding: ${mib(report.idleRssKib)}`,
    '',
    `| Scenario | req/s | bytes/req | 1st s → last s | p50 ms | p99 ms | server CPU µs/req | autocannon CPU µs/req | failures | peak RSS${report.peakPerScenario ? '' : ' (since start)'} | target |`,
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
    ...rows,
    '',
    'failures: responses of another class than the scenario expects (2xx, 304, 201), socket errors and timeouts. ' +
      'server CPU: user and system time of the server process (all its threads) per response, from /proc; ' +
      'steadier than req/s when other work shares the machine. autocannon CPU: the same for the load generator, ' +
      'which shares the two cores: server plus generator CPU per request bounds what the machine can do.',
    '',
  ].join('\n');
}

const HEADER = [
  '# Benchmark results',
  '',
  'Written by `npm run bench -- --write` (SQLite) and `npm run bench -- --pg --write` (PostgreSQL); each run',
  'replaces its own section. See `bench/run.ts` for what is measured.',
  '',
].join('\n');

/** Replaces the section of this report's engine in `file`, keeping the other engine's. */
export function writeReport(file: string, sectionId: string, markdown: string): void {
  const start = `<!-- bench:${sectionId} -->`;
  const end = `<!-- /bench:${sectionId} -->`;
  const section = `${start}\n${markdown}${end}\n`;
  const previous = existsSync(file) ? readFileSync(file, 'utf8') : HEADER;
  const from = previous.indexOf(start);
  const to = previous.indexOf(end);
  const next =
    from >= 0 && to > from
      ? previous.slice(0, from) + section + previous.slice(to + end.length + 1)
      : `${previous.trimEnd()}\n\n${section}`;
  writeFileSync(file, next);
}
