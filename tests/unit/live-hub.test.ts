import { describe, expect, it } from 'vitest';
import { createLiveHub } from '../../server/live/hub.ts';
import type { LiveEvent } from '../../shared/live.ts';

const ROOM = 'default\u0000example.com/a';
const created = (id: string): LiveEvent => ({ type: 'removed', id });

/** Everything a stream has sent so far, as text. */
async function drain(stream: ReadableStream<Uint8Array> | undefined, ms = 50): Promise<string> {
  if (!stream) throw new Error('refused');
  const reader = stream.pipeThrough(new TextDecoderStream()).getReader();
  let text = '';
  const stop = setTimeout(() => void reader.cancel(), ms);
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    text += value;
  }
  clearTimeout(stop);
  return text;
}

describe('the live hub', () => {
  it('refuses streams past its cap, and frees a place when one closes', async () => {
    const hub = createLiveHub({ maxStreams: 2 });
    const one = await hub.open({ room: ROOM, version: 1 });
    const two = await hub.open({ room: ROOM, version: 1 });
    expect(await hub.open({ room: ROOM, version: 1 })).toBeUndefined();
    expect(hub.size).toBe(2);
    await one?.cancel();
    expect(hub.size).toBe(1);
    expect(await hub.open({ room: ROOM, version: 1 })).toBeDefined();
    await two?.cancel();
    hub.close();
  });

  it('sends a comment line as a heartbeat to keep proxies from closing an idle stream', async () => {
    const hub = createLiveHub({ maxStreams: 10, heartbeatMs: 10 });
    const text = await drain(await hub.open({ room: ROOM, version: 3, since: 3 }), 60);
    expect(text).toMatch(/^retry: \d+\n\n/);
    expect(text).toContain(':\n\n');
    hub.close();
  });

  it('replays kept events in version order, a late one in its place, and ids for what readers did not see', async () => {
    const hub = createLiveHub({ maxStreams: 10 });
    const watcher = await hub.open({ room: ROOM, version: 1, since: 1 });
    await hub.publish(ROOM, 2, created('a'));
    await hub.publish(ROOM, 4, created('c'));
    await hub.publish(ROOM, 3, null);
    const resumed = await drain(await hub.open({ room: ROOM, version: 4, since: 1 }));
    expect(resumed.split('\n\n').filter((block) => block.startsWith('id'))).toEqual([
      'id: 2\ndata: {"type":"removed","id":"a"}',
      'id: 3',
      'id: 4\ndata: {"type":"removed","id":"c"}',
    ]);
    await watcher?.cancel();
    hub.close();
  });

  it('tells a reader to resync when what it missed was not kept, and every reader after a break', async () => {
    const hub = createLiveHub({ maxStreams: 10, keptPerRoom: 2 });
    const watcher = await hub.open({ room: ROOM, version: 1, since: 1 });
    for (const version of [2, 3, 4]) await hub.publish(ROOM, version, created(`c${version}`));
    expect(await drain(await hub.open({ room: ROOM, version: 4, since: 1 }))).toContain(
      'id: 4\ndata: {"type":"resync"}',
    );
    hub.gap();
    const text = await drain(watcher);
    expect(text.trim().endsWith('data: {"type":"resync"}')).toBe(true);
    hub.close();
  });

  it('lets go of a reader that stopped reading, instead of queueing for it without end', async () => {
    const hub = createLiveHub({ maxStreams: 10 });
    const stuck = await hub.open({ room: ROOM, version: 0, since: 0 });
    for (let version = 1; version <= 400; version++) await hub.publish(ROOM, version, created(`c${version}`));
    expect(hub.size).toBe(0);
    await stuck?.cancel();
    hub.close();
  });
});
