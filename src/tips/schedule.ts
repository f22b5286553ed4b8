/**
 * When tips fire: croner computes the fire times of TIP_SCHEDULE in TIP_TIMEZONE (daylight-saving changes
 * included); a small loop of our own waits for them on an injectable clock, so tests drive time instead of sleeping.
 */
import { Cron } from 'croner';

export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    t.unref?.();
    return t;
  },
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

/** Whether a time zone is UTC itself: its times need no time-zone data. */
export function isUtc(timezone: string): boolean {
  return timezone === 'UTC' || timezone === 'Etc/UTC';
}

/**
 * Croner's options for a time zone: UTC as an offset of 0 (croner then computes without Intl, whose time-zone data
 * costs about 8 MB of memory once touched), any other zone by its IANA name.
 */
export function cronZone(timezone: string): { utcOffset: number } | { timezone: string } {
  return isUtc(timezone) ? { utcOffset: 0 } : { timezone };
}

/** A cron expression (5 fields, or 6 with seconds) in an IANA time zone. */
export class Schedule {
  private readonly cron: Cron;

  constructor(
    readonly pattern: string,
    readonly timezone: string,
  ) {
    this.cron = new Cron(pattern, { ...cronZone(timezone), paused: true });
  }

  /** The first fire time strictly after `after`. */
  next(after: Date): Date | undefined {
    return this.cron.nextRun(after) ?? undefined;
  }

  /** The next `n` fire times after `after`. */
  nextRuns(n: number, after: Date): Date[] {
    const out: Date[] = [];
    let t: Date | undefined = after;
    while (out.length < n && (t = this.next(t))) out.push(t);
    return out;
  }
}

/** Longest single wait; a far fire time is reached in steps, so the clock is re-read on the way. */
const maxWaitMs = 6 * 60 * 60 * 1000;

/** Calls `fire(slot)` at each fire time, one at a time; a slow or failing fire never stops the schedule. */
export class Scheduler {
  private timer: unknown;
  private running = false;
  private current: Promise<void> = Promise.resolve();

  constructor(
    private readonly schedule: Schedule,
    private readonly fire: (slot: Date) => Promise<void>,
    private readonly clock: Clock = systemClock,
    private readonly onError: (err: unknown) => void = () => undefined,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.arm(new Date(this.clock.now()));
  }

  /** Stops firing; resolves when a fire in progress has finished. */
  async stop(): Promise<void> {
    this.running = false;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    await this.current;
  }

  private arm(after: Date): void {
    if (!this.running) return;
    const slot = this.schedule.next(after);
    if (!slot) return;
    const wait = slot.getTime() - this.clock.now();
    if (wait > maxWaitMs) {
      // Re-read the clock: after a suspend (laptop lid, frozen container) the slots missed meanwhile are skipped.
      this.timer = this.clock.setTimeout(() => this.arm(new Date(Math.max(after.getTime(), this.clock.now()))), maxWaitMs);
      return;
    }
    this.timer = this.clock.setTimeout(
      () => {
        this.timer = undefined;
        if (!this.running) return;
        this.current = this.current.then(() => this.fire(slot)).catch(this.onError);
        // A timer that ran late fires its slot once; the slots that passed meanwhile are not fired in a burst.
        this.arm(new Date(Math.max(slot.getTime(), this.clock.now())));
      },
      Math.max(0, wait),
    );
  }
}
