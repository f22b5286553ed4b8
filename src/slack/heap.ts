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
