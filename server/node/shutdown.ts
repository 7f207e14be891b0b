import type { Server } from 'node:http';

/** How long requests in flight may take to finish after SIGTERM or SIGINT. */
const DRAIN_MS = 10_000;

/**
 * On SIGTERM or SIGINT: stop accepting connections, let the requests in flight finish (for up to `DRAIN_MS`, then
 * cut the rest), close the store, exit 0. A second signal exits at once.
 */
export function stopOnSignals(server: Server, closeStore: () => Promise<void>, drainMs = DRAIN_MS): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(1);
    stopping = true;
    const cut = setTimeout(() => server.closeAllConnections(), drainMs);
    // Keep-alive connections hold the server open until they time out: close each as soon as it has no request.
    const idle = setInterval(() => server.closeIdleConnections(), 50);
    server.close(() => {
      clearTimeout(cut);
      clearInterval(idle);
      void closeStore().finally(() => process.exit(0));
    });
    console.log(`[parley] ${signal}: no longer listening; finishing the requests in flight, then stopping`);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
