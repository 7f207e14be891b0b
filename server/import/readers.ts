import { readCommento } from './commento.ts';
import { readDisqus } from './disqus.ts';
import { readParley } from './parley.ts';
import type { ImportFormat, ImportRecord } from './records.ts';
import { readRemark42 } from './remark42.ts';
import { readWxr } from './wxr.ts';

/** The formats read from text, on any runtime; Isso's SQLite database needs Node (server/node/isso.ts). */
export type TextFormat = Exclude<ImportFormat, 'isso'>;

export const TEXT_READERS: Record<
  TextFormat,
  (chunks: AsyncIterable<string>) => AsyncIterable<ImportRecord>
> = {
  wxr: readWxr,
  disqus: readDisqus,
  remark42: readRemark42,
  commento: readCommento,
  parley: readParley,
};

export const isTextFormat = (format: ImportFormat): format is TextFormat => format !== 'isso';
