import type { Clock } from '../../server/config.ts';

/** A clock that moves only when told to. */
export class ManualClock implements Clock {
  constructor(private time = Date.UTC(2026, 0, 15, 12)) {}
  now() {
    return this.time;
  }
  advance(ms: number) {
    this.time += ms;
  }
}
