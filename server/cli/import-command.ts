import { closeSync, createReadStream, createWriteStream, openSync, readSync, statSync } from 'node:fs';
import { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { configFromEnv } from '../config.ts';
import { randomToken } from '../crypto.ts';
import { DETECT_CHARS, detectFormat } from '../import/detect.ts';
import { exportStream } from '../import/parley-export.ts';
import { isTextFormat, TEXT_READERS } from '../import/readers.ts';
import {
  IMPORT_FORMATS,
  type ImportFormat,
  ImportFormatError,
  type RecordSource,
} from '../import/records.ts';
import { type ImportReport, importComments } from '../import/writer.ts';
import { DEFAULT_DATABASE_URL, openDatabase } from '../node/database.ts';
import { readIsso } from '../node/isso.ts';
import { kyselyStore } from '../store/kysely-store.ts';
import type { Store } from '../store/store.ts';

/*
 * `npm run parley -- import FILE` and `npm run parley -- export`: moving comments in from WordPress, Disqus, Isso,
 * Remark42, Commento or another Parley, and out again.
 */

export const PORTABLE_HELP = `  import FILE [--site ID] [--format F] [--partial] [--base-url URL]
                                      import comments (format found from the file: ${IMPORT_FORMATS.join(', ')});
                                      --partial imports what can be read of a damaged file; --base-url gives
                                      the site's address for Isso, which keeps only page paths
  export [--site ID] [--output FILE]  every comment of one site, or of all, as JSON (docs/export-format.md)
`;

export class PortableUsageError extends Error {}

export type PortableArgs =
  | {
      command: 'import';
      file: string;
      siteId?: string;
      format?: ImportFormat;
      partial: boolean;
      baseUrl?: string;
      batchSize: number;
    }
  | { command: 'export'; siteId?: string; output?: string };

/**
 * The command line of `import` or `export`, checked before anything is opened.
 *
 * @example parsePortableArgs(['import', 'blog.xml', '--site', 'blog']) // { command: 'import', file: 'blog.xml', siteId: 'blog', … }
 */
export function parsePortableArgs(argv: readonly string[]): PortableArgs {
  let parsed: ReturnType<typeof parse>;
  function parse() {
    return parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        site: { type: 'string' },
        format: { type: 'string' },
        partial: { type: 'boolean', default: false },
        'base-url': { type: 'string' },
        'batch-size': { type: 'string' },
        output: { type: 'string', short: 'o' },
      },
    });
  }
  try {
    parsed = parse();
  } catch (error) {
    throw new PortableUsageError(error instanceof Error ? error.message : String(error));
  }
  const { values, positionals } = parsed;
  const [command, ...rest] = positionals;
  if (values.site !== undefined && !/^[a-z0-9][a-z0-9-]{0,62}$/.test(values.site)) {
    throw new PortableUsageError(`"${values.site}" is not a site id (lowercase letters, digits and dashes).`);
  }
  if (command === 'export') {
    if (rest.length > 0) throw new PortableUsageError(`export takes no file name; use --output ${rest[0]}`);
    return { command, siteId: values.site, output: values.output };
  }
  if (command !== 'import') throw new PortableUsageError(`Unknown command "${command ?? ''}". See --help.`);
  const [file, ...extra] = rest;
  if (!file) throw new PortableUsageError('Name the file to import, e.g. import export.xml --site blog');
  if (extra.length > 0) throw new PortableUsageError(`One file at a time (also given: ${extra.join(' ')}).`);
  const format = values.format;
  if (format !== undefined && !IMPORT_FORMATS.includes(format as ImportFormat)) {
    throw new PortableUsageError(`--format must be one of ${IMPORT_FORMATS.join(', ')}, not "${format}".`);
  }
  const baseUrl = values['base-url'];
  if (baseUrl !== undefined && !/^https?:\/\/[^/]+/.test(baseUrl)) {
    throw new PortableUsageError(`--base-url must be an address like https://example.com, not "${baseUrl}".`);
  }
  const batchSize = Number(values['batch-size'] ?? 500);
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10_000) {
    throw new PortableUsageError('--batch-size must be a whole number from 1 to 10000.');
  }
  return {
    command,
    file,
    siteId: values.site,
    format: format as ImportFormat | undefined,
    partial: values.partial ?? false,
    baseUrl,
    batchSize,
  };
}

/** The start of a file, for format detection. */
function fileHead(path: string): string {
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.alloc(DETECT_CHARS);
    return buffer.subarray(0, readSync(fd, buffer, 0, DETECT_CHARS, 0)).toString('latin1');
  } finally {
    closeSync(fd);
  }
}

/** A file's text, streamed in chunks of 64 KiB. */
async function* fileChunks(path: string): AsyncGenerator<string> {
  for await (const chunk of createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 16 })) {
    yield chunk as string;
  }
}

const number = (n: number) => Math.round(n).toLocaleString('en-US');

function duration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '…';
  if (seconds < 60) return `${Math.ceil(seconds)} s`;
  return `${Math.floor(seconds / 60)} min ${Math.ceil(seconds % 60)} s`;
}

/** A progress bar on a terminal; on anything else, a plain line at most once a second. */
export function progressPrinter(stream: NodeJS.WriteStream) {
  let start = 0;
  let lastLine = 0;
  let ended = false;
  return (done: number, total: number) => {
    const now = Date.now();
    // The clock starts when writing does: the rate and time left are the writing's, not the check's.
    start ||= now;
    const finished = done >= total;
    if (ended) return;
    ended = finished;
    if (!stream.isTTY && !finished && now - lastLine < 1000) return;
    lastLine = now;
    const seconds = Math.max((now - start) / 1000, 0.001);
    const rate = done / seconds;
    const left = rate > 0 ? (total - done) / rate : Number.POSITIVE_INFINITY;
    const share = total === 0 ? 1 : done / total;
    const width = 30;
    const bar = '#'.repeat(Math.round(share * width)).padEnd(width, '-');
    const text =
      `[${bar}] ${Math.floor(share * 100)}% ${number(done)}/${number(total)} comments, ` +
      `${number(rate)}/s, ${finished ? `done in ${duration(seconds)}` : `${duration(left)} left`}`;
    stream.write(stream.isTTY ? `\r${text}${finished ? '\n' : ''}` : `progress: ${text}\n`);
  };
}

/** What the import brought over and what it could not, for people. */
export function describeReport(report: ImportReport, file: string): string {
  const { comments, added } = report;
  const lines = [
    `Imported ${file} (${report.format}) into ${report.sites.join(', ') || 'no site'}:`,
    `  ${number(report.threads)} pages, ${number(comments.read)} comments read`,
    `  ${number(comments.added)} added (${number(added.approved)} approved, ${number(added.pending)} pending, ` +
      `${number(added.spam)} spam, ${number(added.deleted)} deleted placeholders holding replies)`,
  ];
  if (comments.alreadyPresent)
    lines.push(`  ${number(comments.alreadyPresent)} already here from an earlier import, left as they are`);
  if (comments.deletedWithoutReplies) {
    lines.push(`  ${number(comments.deletedWithoutReplies)} deleted comments without replies not imported`);
  }
  if (comments.orphans)
    lines.push(
      `  ${number(comments.orphans)} replies to comments missing from the file kept as top-level comments`,
    );
  const lost = Object.entries(report.lost);
  if (lost.length > 0) {
    lines.push('Not carried over (Parley does not keep these):');
    for (const [what, count] of lost) lines.push(`  ${what}: ${number(count)}`);
  }
  if (report.invalidCount > 0) {
    lines.push(`Skipped ${number(report.invalidCount)} records that could not be read:`);
    for (const { where, message } of report.invalid) lines.push(`  ${where}: ${message}`);
  }
  if (report.stoppedAt)
    lines.push(`Stopped reading at ${report.stoppedAt}; the rest of the file was not imported.`);
  return `${lines.join('\n')}\n`;
}

async function secretOf(store: Store): Promise<string> {
  return configFromEnv(process.env).secret ?? store.getOrCreateSetting('secret', randomToken());
}

async function runImport(store: Store, args: Extract<PortableArgs, { command: 'import' }>): Promise<number> {
  const size = statSync(args.file).size;
  const format = args.format ?? detectFormat(fileHead(args.file));
  if (!format) {
    throw new PortableUsageError(
      `Cannot tell the format of ${args.file}; give it with --format (${IMPORT_FORMATS.join(', ')}).`,
    );
  }
  const source: RecordSource = isTextFormat(format)
    ? () => TEXT_READERS[format](fileChunks(args.file))
    : () => readIsso(args.file, args.baseUrl);
  process.stderr.write(`Checking ${args.file} (${format}, ${(size / 1024 / 1024).toFixed(1)} MiB)…\n`);
  const report = await importComments(store, source, {
    format,
    siteId: args.siteId,
    secret: await secretOf(store),
    now: Date.now(),
    partial: args.partial,
    batchSize: args.batchSize,
    onProgress: progressPrinter(process.stderr),
  });
  process.stdout.write(describeReport(report, args.file));
  return 0;
}

async function runExport(store: Store, args: Extract<PortableArgs, { command: 'export' }>): Promise<number> {
  const sites = await store.listSites(args.siteId ? [args.siteId] : undefined);
  if (args.siteId && sites.length === 0) throw new PortableUsageError(`No site has the id ${args.siteId}.`);
  const out = args.output ? createWriteStream(args.output) : process.stdout;
  await exportStream(store, sites, Date.now()).pipeTo(Writable.toWeb(out));
  if (args.output)
    process.stderr.write(`Exported ${sites.map((site) => site.id).join(', ')} to ${args.output}\n`);
  return 0;
}

/** Runs `import` or `export`; returns the exit status (1: the command line or the file is wrong). */
export async function runPortableCommand(argv: readonly string[]): Promise<number> {
  let args: PortableArgs;
  try {
    args = parsePortableArgs(argv);
  } catch (error) {
    console.error(`parley: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
  if (args.command === 'import') {
    try {
      statSync(args.file);
    } catch {
      console.error(`parley: cannot read ${args.file}`);
      return 1;
    }
  }
  const store = kyselyStore(openDatabase(process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL));
  try {
    await store.migrate();
    return args.command === 'import' ? await runImport(store, args) : await runExport(store, args);
  } catch (error) {
    if (error instanceof ImportFormatError) {
      console.error(
        `parley: ${error.message}\nNothing was imported. Fix the file, or add --partial to import the rest.`,
      );
      return 1;
    }
    if (error instanceof PortableUsageError) {
      console.error(`parley: ${error.message}`);
      return 1;
    }
    console.error(`parley: ${error instanceof Error ? error.message : String(error)}`);
    return 2;
  } finally {
    await store.close();
  }
}
