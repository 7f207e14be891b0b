import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type SQLite from 'better-sqlite3';

/** How often the worker copies the write-ahead log back into the database file. */
export const CHECKPOINT_INTERVAL_MS = 200;

/**
 * Log frames (pages of 4 KiB) past which the serving thread finishes a checkpoint itself, so that the log is
 * started over: SQLite's own automatic checkpoint threshold.
 */
export const RESTART_LOG_FRAMES = 1000;

export interface CheckpointerOptions {
  intervalMs?: number;
  restartFrames?: number;
  /** Told when the worker stops for a reason other than `stop()`; the connection checkpoints by itself again. */
  onFailure?: (reason: string) => void;
}

/*
 * The worker's whole program: plain JavaScript, since a worker evaluated from a string is not compiled with the
 * rest. It opens its own connection and runs a PASSIVE checkpoint (never waits for a lock, never blocks a writer)
 * on a timer. The log only starts over at a write that begins after a checkpoint reached its end, and under a
 * steady stream of writes some always land during the worker's copy (its fsyncs take milliseconds). So when the
 * log is long, the worker pauses and asks the serving thread, between two of its writes, to copy the little that is
 * left; its own checkpoints would otherwise hold the lock that one needs.
 */
const WORKER_PROGRAM = `
const { parentPort, workerData } = require('node:worker_threads');
const SQLite = require(workerData.driver);
const db = new SQLite(workerData.path, { fileMustExist: true });
const checkpoint = db.prepare('pragma wal_checkpoint(PASSIVE)');
let waiting = false;
const timer = setInterval(() => {
  if (waiting) return;
  const { log } = checkpoint.get();
  if (log < workerData.restartFrames) return;
  waiting = true;
  parentPort.postMessage('finish');
}, workerData.intervalMs);
parentPort.on('message', (message) => {
  if (message === 'finished') {
    waiting = false;
    return;
  }
  clearInterval(timer);
  db.close();
  parentPort.close();
});
parentPort.postMessage('ready');
`;

/**
 * Moves SQLite's checkpoints off the serving thread. With the default automatic checkpoint, the commit that takes
 * the log past 1,000 pages copies them all into the database file and waits for two fsyncs, holding up every
 * request for milliseconds (measured here: about half the time of a POST). A worker thread with its own connection
 * does that copy; the serving thread only finishes a checkpoint when the log has grown long under a steady stream
 * of writes, by which time little is left to copy. If the worker cannot start or stops, the connection goes back
 * to checkpointing by itself, so the log never grows without bound.
 *
 * @returns stop(), which ends the worker (its connection closes) and restores automatic checkpoints.
 */
export function checkpointInBackground(sqlite: SQLite.Database, options: CheckpointerOptions = {}) {
  const automatically = () => sqlite.pragma('wal_autocheckpoint = 1000');
  const worker = new Worker(WORKER_PROGRAM, {
    eval: true,
    workerData: {
      driver: createRequire(import.meta.url).resolve('better-sqlite3'),
      path: sqlite.name,
      intervalMs: options.intervalMs ?? CHECKPOINT_INTERVAL_MS,
      restartFrames: options.restartFrames ?? RESTART_LOG_FRAMES,
    },
  });
  worker.unref();
  let stopping = false;
  worker.on('message', (message) => {
    if (!sqlite.open) return;
    if (message === 'ready') sqlite.pragma('wal_autocheckpoint = 0');
    else if (message === 'finish') {
      if (!sqlite.inTransaction) sqlite.pragma('wal_checkpoint(PASSIVE)');
      worker.postMessage('finished');
    }
  });
  const failed = (reason: string) => {
    if (stopping) return;
    stopping = true;
    if (sqlite.open) automatically();
    options.onFailure?.(reason);
  };
  worker.on('error', (error) => failed(error.message));
  worker.on('exit', (code) => failed(`the checkpoint worker exited (${code})`));
  return {
    worker,
    stop() {
      if (stopping) return;
      stopping = true;
      if (sqlite.open) automatically();
      worker.postMessage('stop');
    },
  };
}
