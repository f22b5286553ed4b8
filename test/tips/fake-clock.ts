/**
 * A clock for the Scheduler that tests move by hand: `advanceTo` runs every timer due on the way at its own
 * instant, in order, and lets the promises it starts settle before moving on. Nothing sleeps.
 */
import type { Clock } from '../../src/tips/schedule.js';

interface Timer {
  at: number;
  seq: number;
  fn: () => void;
}

/** Lets every promise chain started so far run to its next real wait (a macrotask turn drains microtasks). */
export const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export class FakeClock implements Clock {
  private t: number;
  private seq = 0;
  private readonly timers = new Map<number, Timer>();

  constructor(start: Date | number) {
    this.t = typeof start === 'number' ? start : start.getTime();
  }

  now(): number {
    return this.t;
  }

  setTimeout(fn: () => void, ms: number): unknown {
    const seq = ++this.seq;
    this.timers.set(seq, { at: this.t + Math.max(0, ms), seq, fn });
    return seq;
  }

  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }

  /** Timers waiting now. */
  get pending(): number {
    return this.timers.size;
  }

  /** Moves to `until`, running each timer due on the way at exactly its instant. */
  async advanceTo(until: Date | number): Promise<void> {
    const end = typeof until === 'number' ? until : until.getTime();
    for (;;) {
      let next: Timer | undefined;
      for (const t of this.timers.values()) if (t.at <= end && (!next || t.at < next.at || (t.at === next.at && t.seq < next.seq))) next = t;
      if (!next) break;
      this.timers.delete(next.seq);
      this.t = Math.max(this.t, next.at);
      next.fn();
      await settle();
    }
    this.t = Math.max(this.t, end);
    await settle();
  }

  advance(ms: number): Promise<void> {
    return this.advanceTo(this.t + ms);
  }

  /**
   * The process was suspended (a laptop lid, a frozen container): time moves on without any timer running;
   * the overdue timers run afterwards, late, all at the new time.
   */
  async jump(ms: number): Promise<void> {
    this.t += ms;
    await this.advanceTo(this.t);
  }
}
