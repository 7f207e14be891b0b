import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type SQLite from 'better-sqlite3';

/** How often the worker copies the write-ahead log back into the database file. */
export const CHECKPOINT_INTERVAL_MS = 200;

export interface CheckpointerOptions {
  intervalMs?: number;
  /** Told when the worker stops for a reason other than `stop()`. */
  onFailure?: (reason: string) => void;
}

/*
 * The worker's whole program: plain JavaScript, since a worker evaluated from a string is not compiled with the
 * rest. It opens its own connection and runs a PASSIVE checkpoint (never waits for a lock, never blocks a writer)
 * on a timer.
 */
const WORKER_PROGRAM = `
const { parentPort, workerData } = require('node:worker_threads');
const SQLite = require(workerData.driver);
const db = new SQLite(workerData.path, { fileMustExist: true });
const checkpoint = db.prepare('pragma wal_checkpoint(PASSIVE)');
const timer = setInterval(() => checkpoint.get(), workerData.intervalMs);
parentPort.on('message', () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

/**
 * Copies SQLite's write-ahead log into the database file from a worker thread. With SQLite's automatic checkpoint
 * alone, the commit that takes the log past 1,000 pages copies all of them and waits for two fsyncs, holding up
 * every request for milliseconds (measured here: a third of the time of a POST). The worker, on its own connection,
 * copies and syncs the log every `intervalMs`. The serving connection keeps its automatic checkpoint, which still
 * starts the log over at 1,000 pages: the log can only start over at a write that begins after a checkpoint reached
 * its end, and under a steady stream of writes some always land during the worker's fsyncs. By then the worker has
 * copied nearly all of it, so that checkpoint only copies what came since the worker's last. The log stays as short
 * as SQLite keeps it whatever the worker does; if the worker stops, checkpoints are as they were.
 *
 * @returns stop(), which ends the worker (its connection closes).
 */
export function checkpointInBackground(sqlite: SQLite.Database, options: CheckpointerOptions = {}) {
  const worker = new Worker(WORKER_PROGRAM, {
    eval: true,
    workerData: {
      driver: createRequire(import.meta.url).resolve('better-sqlite3'),
      path: sqlite.name,
      intervalMs: options.intervalMs ?? CHECKPOINT_INTERVAL_MS,
    },
  });
  worker.unref();
  let stopping = false;
  const failed = (reason: string) => {
    if (stopping) return;
    stopping = true;
    options.onFailure?.(reason);
  };
  worker.on('error', (error) => failed(error.message));
  worker.on('exit', (code) => failed(`the checkpoint worker exited (${code})`));
  return {
    worker,
    stop() {
      if (stopping) return;
      stopping = true;
      worker.postMessage('stop');
    },
  };
}
