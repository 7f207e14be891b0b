import type { Background } from '../background.ts';

/** How often the Node server looks for due work (mail to send or retry, replies to batch) besides after writes. */
export const BACKGROUND_INTERVAL_MS = 15_000;

/**
 * Runs the background tasks now and then every `intervalMs`, on a timer that does not keep the process alive; the
 * returned function stops it (on shutdown).
 */
export function runEvery(background: Background, intervalMs: number): () => void {
  void background.run();
  const timer = setInterval(() => void background.run(), intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
