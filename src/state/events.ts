/**
 * The once-only record of Slack events: a redelivered event (`retry_attempt`), or one another replica got, is
 * answered once.
 */
import type { Logger } from '../logger.js';
import type { StateStore } from './store.js';

/** Answers each Slack event once, even when Slack redelivers it or another replica got it. */
export interface EventLedger {
  /** True the first time an event id is claimed, false after. */
  claim(eventId: string): Promise<boolean>;
}

/**
 * Events remembered for an hour in the state store: a redelivery is answered once, by one replica. While the
 * store fails or is known to be unreachable (then it is not even asked, so a hung Redis delays no answer),
 * events are answered anyway — a rare double answer beats silence — and that is logged once per failing spell.
 */
export function storeEventLedger(store: StateStore, log?: Logger): EventLedger {
  let failing = false;
  const unchecked = (err: unknown, eventId: string): true => {
    // An unreachable store has already said so itself; a store that fails while "healthy" has not.
    const level = store.healthy() ? 'warn' : 'info';
    if (!failing) log?.[level]({ err, eventId }, 'events answered without the once-only check until the state store works again');
    failing = true;
    return true;
  };
  return {
    claim: async (eventId) => {
      if (!store.healthy()) return unchecked(undefined, eventId);
      try {
        const first = await store.claim(`event:${eventId}`, 60 * 60 * 1000);
        failing = false;
        return first;
      } catch (err) {
        return unchecked(err, eventId);
      }
    },
  };
}
