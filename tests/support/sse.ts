import type { LiveEvent } from '../../shared/live.ts';

/** One Server-Sent Event as a browser would dispatch it; `data` undefined for an id-only message. */
export interface SseMessage {
  id: string | undefined;
  data: LiveEvent | undefined;
}

/**
 * Reads a live stream as EventSource does (ids, data lines, comment lines ignored) and hands out its messages in
 * order. `next()` waits for the next one, at most `timeoutMs`.
 */
export function readSse(response: Response) {
  const body = response.body;
  if (!body) throw new Error('The stream has no body');
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  const queue: SseMessage[] = [];
  const waiting: Array<() => void> = [];
  let buffer = '';
  let lastId: string | undefined;
  let ended = false;

  void (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let end = buffer.indexOf('\n\n');
        while (end >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          let id: string | undefined;
          let data: string | undefined;
          for (const line of block.split('\n')) {
            if (line.startsWith('id: ')) id = line.slice(4);
            else if (line.startsWith('data: '))
              data = (data === undefined ? '' : `${data}\n`) + line.slice(6);
          }
          if (id !== undefined) lastId = id;
          if (id !== undefined || data !== undefined) {
            queue.push({
              id: lastId,
              data: data === undefined ? undefined : (JSON.parse(data) as LiveEvent),
            });
          }
          end = buffer.indexOf('\n\n');
        }
        for (const wake of waiting.splice(0)) wake();
      }
    } catch {
      // Cancelled by the test.
    }
    ended = true;
    for (const wake of waiting.splice(0)) wake();
  })();

  return {
    /** The id the browser would send on reconnecting. */
    get lastId() {
      return lastId;
    },
    /** The next message with data, skipping id-only ones. */
    async next(timeoutMs = 2000): Promise<SseMessage> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const index = queue.findIndex((message) => message.data !== undefined);
        if (index >= 0) return queue.splice(0, index + 1).at(-1) as SseMessage;
        if (ended) throw new Error('The stream ended');
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`No event within ${timeoutMs} ms`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left);
          waiting.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
    },
    /** Whether a message with data arrives within `ms`. */
    async quiet(ms: number): Promise<boolean> {
      try {
        await this.next(ms);
        return false;
      } catch {
        return true;
      }
    },
    close: () => reader.cancel().catch(() => {}),
  };
}
