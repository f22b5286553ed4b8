/**
 * One full garbage collection once the bot has started, so that V8 gives back what the start-up needed.
 *
 * V8 shrinks its heap (the young generation, and old-generation pages left empty) only when its memory reducer
 * runs, and the reducer is set going by a full (mark-compact) collection. Reading the knowledge and its indexes
 * grows the young generation to its largest (32 MB) and leaves garbage behind; whether a collection then came to
 * set the reducer going depended on where the start's collections happened to fall. In 5 of 11 starts measured,
 * none did, and the quiet bot held 122–136 MB 30 s after connecting, for as long as no traffic came; in the others
 * it settled at 88–104 MB. With this collection it settled in 8 of 8 (88–104 MB, 10–20 s after connecting). A bare
 * Bolt app settles at 64–75 MB on its own.
 *
 * Node has no API for it but `gc()`, which only `--expose-gc` gives: the flag is set for the one new context that
 * hands the function over, and unset again, so nothing else sees a `gc` global. `execution: 'async'` marks
 * incrementally, beside the event loop, instead of pausing it.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

type Gc = (options?: { type?: 'major' | 'minor'; execution?: 'sync' | 'async' }) => unknown;

/** Starts one full collection (incremental); false when this V8 does not offer one. */
export function collectAfterStart(): boolean {
  let gc: Gc | undefined;
  try {
    setFlagsFromString('--expose-gc');
    gc = runInNewContext('gc') as Gc | undefined;
  } catch {
    gc = undefined;
  } finally {
    setFlagsFromString('--no-expose-gc');
  }
  if (typeof gc !== 'function') return false;
  void Promise.resolve(gc({ type: 'major', execution: 'async' })).catch(() => undefined);
  return true;
}

export interface QuietCollectorOptions {
  /** Envelopes since the last collection that make a busy spell (fewer leave little garbage behind). */
  minEvents: number;
  /** How long without a new envelope counts as quiet. */
  quietMs: number;
  /** The collection (default: `collectAfterStart`'s). */
  collect?: () => unknown;
}

/**
 * The same full collection after a busy spell, once no envelope has come for `quietMs`. A burst grows the heap
 * (the young generation to its largest, old-generation pages for what was in flight), and V8 gives that back only
 * when its memory reducer runs, 10–20 s after the last event; one collection once the bot is quiet gives most of
 * it back at once (in the burst benchmark, RSS 2 s after the last reply went from about 1.3× to about 1.2× of
 * before). Quiet traffic (fewer than `minEvents` envelopes between two collections) starts none.
 */
export class QuietCollector {
  private seen = 0;
  private last = 0;
  private timer: NodeJS.Timeout | undefined;
  private readonly collect: () => unknown;

  constructor(private readonly options: QuietCollectorOptions) {
    this.collect = options.collect ?? collectAfterStart;
  }

  /** One envelope came. */
  note(): void {
    this.seen++;
    this.last = Date.now();
    if (!this.timer && this.seen >= this.options.minEvents) this.wait(this.options.quietMs);
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private wait(ms: number): void {
    this.timer = setTimeout(() => this.check(), ms);
    this.timer.unref();
  }

  private check(): void {
    const since = Date.now() - this.last;
    if (since < this.options.quietMs) {
      this.wait(this.options.quietMs - since);
      return;
    }
    this.timer = undefined;
    this.seen = 0;
    this.collect();
  }
}
