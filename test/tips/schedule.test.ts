/**
 * When the daily tip fires: TIP_SCHEDULE in TIP_TIMEZONE, computed by croner, across daylight-saving changes; and
 * the Scheduler, driven by a fake clock, calling fire(slot) at exactly those instants. No test sleeps.
 */
import { describe, expect, it } from 'vitest';
import { defaultTipSchedule } from '../../src/config.js';
import { Schedule, Scheduler } from '../../src/tips/schedule.js';
import { FakeClock, settle } from './fake-clock.js';

const iso = (dates: Date[]): string[] => dates.map((d) => d.toISOString());

/** The wall-clock time of an instant in a time zone: 'Mon 09:00'. */
function local(d: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(
    d,
  );
  const get = (t: string): string => parts.find((p) => p.type === t)!.value;
  return `${get('weekday')} ${get('hour')}:${get('minute')}`;
}

describe('Schedule: fire times in TIP_TIMEZONE', () => {
  it('the default is weekdays at 09:00', () => {
    expect(defaultTipSchedule).toBe('0 9 * * 1-5');
  });

  it('UTC (computed without time-zone data) fires at the same instants as a zone that is UTC all year', () => {
    const after = new Date('2026-03-27T12:00:00Z');
    const utc = new Schedule('0 9 * * 1-5', 'UTC').nextRuns(5, after);
    expect(iso(utc)).toEqual(iso(new Schedule('0 9 * * 1-5', 'Africa/Abidjan').nextRuns(5, after)));
    expect(iso(utc)[0]).toBe('2026-03-30T09:00:00.000Z');
  });

  it('Europe/Berlin, weekdays 09:00, across the end of summer time (Sun 25 Oct 2026): 07:00 UTC before, 08:00 UTC after', () => {
    const s = new Schedule('0 9 * * 1-5', 'Europe/Berlin');
    expect(iso(s.nextRuns(6, new Date('2026-10-21T00:00:00Z')))).toEqual([
      '2026-10-21T07:00:00.000Z', // Wed, CEST (UTC+2)
      '2026-10-22T07:00:00.000Z',
      '2026-10-23T07:00:00.000Z', // Fri; the clocks go back on Sunday
      '2026-10-26T08:00:00.000Z', // Mon, CET (UTC+1)
      '2026-10-27T08:00:00.000Z',
      '2026-10-28T08:00:00.000Z',
    ]);
  });

  it('Europe/Berlin, across the start of summer time (Sun 29 Mar 2026): 08:00 UTC before, 07:00 UTC after', () => {
    const s = new Schedule('0 9 * * 1-5', 'Europe/Berlin');
    expect(iso(s.nextRuns(3, new Date('2026-03-26T12:00:00Z')))).toEqual([
      '2026-03-27T08:00:00.000Z', // Fri, CET
      '2026-03-30T07:00:00.000Z', // Mon, CEST
      '2026-03-31T07:00:00.000Z',
    ]);
  });

  it('America/New_York, weekdays 09:00, across the start of daylight time (Sun 8 Mar 2026): 14:00 UTC before, 13:00 UTC after', () => {
    const s = new Schedule('0 9 * * 1-5', 'America/New_York');
    expect(iso(s.nextRuns(5, new Date('2026-03-04T00:00:00Z')))).toEqual([
      '2026-03-04T14:00:00.000Z', // Wed, EST (UTC-5)
      '2026-03-05T14:00:00.000Z',
      '2026-03-06T14:00:00.000Z', // Fri
      '2026-03-09T13:00:00.000Z', // Mon, EDT (UTC-4)
      '2026-03-10T13:00:00.000Z',
    ]);
  });

  it('America/New_York, across the end of daylight time (Sun 1 Nov 2026): 13:00 UTC before, 14:00 UTC after', () => {
    const s = new Schedule('0 9 * * 1-5', 'America/New_York');
    expect(iso(s.nextRuns(2, new Date('2026-10-30T00:00:00Z')))).toEqual(['2026-10-30T13:00:00.000Z', '2026-11-02T14:00:00.000Z']);
  });

  it.each(['Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'Australia/Sydney', 'UTC'])(
    '%s: every fire time of 2026 is 09:00 local on a weekday, 261 of them (a year of weekdays)',
    (tz) => {
      const s = new Schedule(defaultTipSchedule, tz);
      const runs = s
        .nextRuns(400, new Date('2025-12-30T00:00:00Z'))
        .filter((d) => new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric' }).format(d) === '2026');
      expect(runs).toHaveLength(261);
      for (const d of runs) expect(local(d, tz)).toMatch(/^(Mon|Tue|Wed|Thu|Fri) 09:00$/);
      // strictly increasing, one a day at most
      for (let i = 1; i < runs.length; i++) expect(runs[i]!.getTime() - runs[i - 1]!.getTime()).toBeGreaterThanOrEqual(23 * 3600_000);
    },
  );

  it('02:30 on the spring-forward night (a time that does not exist): croner fires once, at 03:00 local, the instant the clocks jump', () => {
    const berlin = new Schedule('30 2 * * *', 'Europe/Berlin');
    const b = berlin.nextRuns(3, new Date('2026-03-28T00:00:00Z'));
    expect(iso(b)).toEqual([
      '2026-03-28T01:30:00.000Z', // 02:30 CET
      '2026-03-29T01:00:00.000Z', // 02:30 does not exist that night: 03:00 CEST, once
      '2026-03-30T00:30:00.000Z', // 02:30 CEST
    ]);
    expect(b.map((d) => local(d, 'Europe/Berlin'))).toEqual(['Sat 02:30', 'Sun 03:00', 'Mon 02:30']);

    const ny = new Schedule('30 2 * * *', 'America/New_York');
    const n = ny.nextRuns(3, new Date('2026-03-07T00:00:00Z'));
    expect(iso(n)).toEqual(['2026-03-07T07:30:00.000Z', '2026-03-08T07:00:00.000Z', '2026-03-09T06:30:00.000Z']);
    expect(n.map((d) => local(d, 'America/New_York'))).toEqual(['Sat 02:30', 'Sun 03:00', 'Mon 02:30']);
  });

  it('02:30 on the fall-back night (a time that happens twice): fires once, at the first 02:30', () => {
    const s = new Schedule('30 2 * * *', 'Europe/Berlin');
    expect(iso(s.nextRuns(3, new Date('2026-10-24T12:00:00Z')))).toEqual([
      '2026-10-25T00:30:00.000Z', // 02:30 CEST; not again at 01:30 UTC (02:30 CET)
      '2026-10-26T01:30:00.000Z',
      '2026-10-27T01:30:00.000Z',
    ]);
  });

  it('every second (6 fields); next() is strictly after the time given', () => {
    const s = new Schedule('* * * * * *', 'UTC');
    expect(iso(s.nextRuns(3, new Date('2026-01-01T00:00:00.000Z')))).toEqual([
      '2026-01-01T00:00:01.000Z',
      '2026-01-01T00:00:02.000Z',
      '2026-01-01T00:00:03.000Z',
    ]);
    expect(s.next(new Date('2026-01-01T00:00:00.400Z'))?.toISOString()).toBe('2026-01-01T00:00:01.000Z');
    const daily = new Schedule('0 9 * * 1-5', 'Europe/Berlin');
    expect(daily.next(new Date('2026-10-26T08:00:00.000Z'))?.toISOString()).toBe('2026-10-27T08:00:00.000Z');
  });
});

// ---------------------------------------------------------------------------------------------------------------

interface Fired {
  slot: string;
  at: string;
}

function recorder(clock: FakeClock) {
  const fired: Fired[] = [];
  const fire = async (slot: Date): Promise<void> => {
    fired.push({ slot: slot.toISOString(), at: new Date(clock.now()).toISOString() });
  };
  return { fired, fire };
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('Scheduler on an injected clock', () => {
  it('Europe/Berlin: fires fire(slot) at exactly each fire time across the October change, nothing in between', async () => {
    const clock = new FakeClock(new Date('2026-10-21T12:00:00Z')); // Wed, after that day's tip
    const { fired, fire } = recorder(clock);
    const s = new Scheduler(new Schedule('0 9 * * 1-5', 'Europe/Berlin'), fire, clock);
    s.start();
    await clock.advanceTo(new Date('2026-10-22T06:59:59.999Z'));
    expect(fired).toEqual([]);
    await clock.advanceTo(new Date('2026-10-31T00:00:00Z'));
    const expected = [
      '2026-10-22T07:00:00.000Z',
      '2026-10-23T07:00:00.000Z',
      '2026-10-26T08:00:00.000Z',
      '2026-10-27T08:00:00.000Z',
      '2026-10-28T08:00:00.000Z',
      '2026-10-29T08:00:00.000Z',
      '2026-10-30T08:00:00.000Z',
    ];
    expect(fired).toEqual(expected.map((t) => ({ slot: t, at: t })));
    await s.stop();
  });

  it('America/New_York: across the March change, at 14:00 UTC then 13:00 UTC', async () => {
    const clock = new FakeClock(new Date('2026-03-05T15:00:00Z'));
    const { fired, fire } = recorder(clock);
    const s = new Scheduler(new Schedule('0 9 * * 1-5', 'America/New_York'), fire, clock);
    s.start();
    await clock.advanceTo(new Date('2026-03-11T00:00:00Z'));
    const expected = ['2026-03-06T14:00:00.000Z', '2026-03-09T13:00:00.000Z', '2026-03-10T13:00:00.000Z'];
    expect(fired).toEqual(expected.map((t) => ({ slot: t, at: t })));
    await s.stop();
  });

  it('the spring-forward night: a 02:30 schedule fires once, at 03:00 local', async () => {
    const clock = new FakeClock(new Date('2026-03-28T12:00:00Z'));
    const { fired, fire } = recorder(clock);
    const s = new Scheduler(new Schedule('30 2 * * *', 'Europe/Berlin'), fire, clock);
    s.start();
    await clock.advanceTo(new Date('2026-03-30T12:00:00Z'));
    expect(fired).toEqual([
      { slot: '2026-03-29T01:00:00.000Z', at: '2026-03-29T01:00:00.000Z' },
      { slot: '2026-03-30T00:30:00.000Z', at: '2026-03-30T00:30:00.000Z' },
    ]);
    await s.stop();
  });

  it('starting exactly at a fire time does not fire that slot; start() twice does not double the fires', async () => {
    const clock = new FakeClock(new Date('2026-10-22T07:00:00Z'));
    const { fired, fire } = recorder(clock);
    const s = new Scheduler(new Schedule('0 9 * * 1-5', 'Europe/Berlin'), fire, clock);
    s.start();
    s.start();
    await clock.advanceTo(new Date('2026-10-23T12:00:00Z'));
    expect(fired.map((f) => f.slot)).toEqual(['2026-10-23T07:00:00.000Z']);
    await s.stop();
  });

  it('fires one at a time: a slow fire delays the next one, which still gets its own slot', async () => {
    const clock = new FakeClock(new Date('2026-01-01T00:00:00Z'));
    const started: string[] = [];
    const gates: { resolve: () => void }[] = [];
    let running = 0;
    let maxRunning = 0;
    const s = new Scheduler(
      new Schedule('* * * * * *', 'UTC'),
      async (slot) => {
        started.push(slot.toISOString());
        running++;
        maxRunning = Math.max(maxRunning, running);
        const d = deferred();
        gates.push(d);
        await d.promise;
        running--;
      },
      clock,
    );
    s.start();
    await clock.advanceTo(new Date('2026-01-01T00:00:03.500Z')); // three slots pass while the first fire hangs
    expect(started).toEqual(['2026-01-01T00:00:01.000Z']);
    gates[0]!.resolve();
    await settle();
    expect(started).toEqual(['2026-01-01T00:00:01.000Z', '2026-01-01T00:00:02.000Z']);
    gates[1]!.resolve();
    await settle();
    gates[2]!.resolve();
    await settle();
    expect(started).toEqual(['2026-01-01T00:00:01.000Z', '2026-01-01T00:00:02.000Z', '2026-01-01T00:00:03.000Z']);
    expect(maxRunning).toBe(1);
    await s.stop();
  });

  it('stop() stops it: no timer left, no fire after; it waits for a fire in progress', async () => {
    const clock = new FakeClock(new Date('2026-10-21T12:00:00Z'));
    const slots: string[] = [];
    const gate = deferred();
    let finished = false;
    const s = new Scheduler(
      new Schedule('0 9 * * 1-5', 'Europe/Berlin'),
      async (slot) => {
        slots.push(slot.toISOString());
        await gate.promise;
        finished = true;
      },
      clock,
    );
    s.start();
    await clock.advanceTo(new Date('2026-10-22T07:00:00Z'));
    expect(slots).toEqual(['2026-10-22T07:00:00.000Z']);
    let stopped = false;
    const stopping = s.stop().then(() => (stopped = true));
    await settle();
    expect(stopped).toBe(false); // the fire in progress finishes first
    gate.resolve();
    await stopping;
    expect(finished).toBe(true);
    expect(clock.pending).toBe(0);
    await clock.advanceTo(new Date('2026-11-30T00:00:00Z'));
    expect(slots).toEqual(['2026-10-22T07:00:00.000Z']);
  });

  it('a fire that throws is reported to onError and later fires still happen', async () => {
    const clock = new FakeClock(new Date('2026-10-21T12:00:00Z'));
    const slots: string[] = [];
    const errors: unknown[] = [];
    const s = new Scheduler(
      new Schedule('0 9 * * 1-5', 'Europe/Berlin'),
      async (slot) => {
        slots.push(slot.toISOString());
        if (slots.length === 1) throw new Error('Slack is down');
      },
      clock,
      (err) => errors.push(err),
    );
    s.start();
    await clock.advanceTo(new Date('2026-10-27T00:00:00Z'));
    expect(slots).toEqual(['2026-10-22T07:00:00.000Z', '2026-10-23T07:00:00.000Z', '2026-10-26T08:00:00.000Z']);
    expect(errors).toHaveLength(1);
    expect((errors[0] as Error).message).toBe('Slack is down');
    await s.stop();
  });

  it('after the process was suspended for days, it catches up with one late tip (not one per missed day), then keeps the schedule', async () => {
    const clock = new FakeClock(new Date('2026-10-19T10:00:00Z')); // Mon, after that day's tip
    const { fired, fire } = recorder(clock);
    const s = new Scheduler(new Schedule('0 9 * * 1-5', 'Europe/Berlin'), fire, clock);
    s.start();
    await clock.advanceTo(new Date('2026-10-20T06:00:00Z')); // Tue, one hour before the tip: its timer is armed
    expect(fired).toEqual([]);
    await clock.jump(3 * 24 * 3600_000); // to Fri 06:00 UTC: Tue, Wed and Thu were missed
    // the slot whose timer was armed fires once, late; Wed and Thu are not posted in a burst
    expect(fired).toEqual([{ slot: '2026-10-20T07:00:00.000Z', at: '2026-10-23T06:00:00.000Z' }]);
    await clock.advanceTo(new Date('2026-10-24T00:00:00Z'));
    expect(fired.slice(1)).toEqual([{ slot: '2026-10-23T07:00:00.000Z', at: '2026-10-23T07:00:00.000Z' }]);
    await s.stop();
  });

  it('suspended while waiting for a far fire time: the missed days are skipped, the next tip comes on time', async () => {
    const clock = new FakeClock(new Date('2026-10-19T10:00:00Z')); // Mon; the next tip is 21 h away
    const { fired, fire } = recorder(clock);
    const s = new Scheduler(new Schedule('0 9 * * 1-5', 'Europe/Berlin'), fire, clock);
    s.start();
    await clock.jump(3 * 24 * 3600_000); // to Thu 10:00 UTC
    expect(fired).toEqual([]);
    await clock.advanceTo(new Date('2026-10-24T00:00:00Z'));
    expect(fired).toEqual([{ slot: '2026-10-23T07:00:00.000Z', at: '2026-10-23T07:00:00.000Z' }]);
    await s.stop();
  });
});
