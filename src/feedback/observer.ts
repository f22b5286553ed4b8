/**
 * The answer observer that feeds the feedback log: every question counts for the answer rate of its surface, and
 * every question that got no answer is recorded as 'unanswered' (query, surface, time, hashed user). Counts are
 * gathered in memory for a few seconds and written as increments (never totals), so replicas add up; while the
 * store is unreachable the log keeps them, and the records, until it is back.
 */
import type { Logger } from '../logger.js';
import { typedOn, type AnswerObserver } from '../reply.js';
import type { FeedbackLog } from './store.js';

export interface FeedbackObserver extends AnswerObserver {
  /**
   * Resolves when every write started so far has finished, and what waited for the store has been tried once
   * more (tests, `/aws stats`, shutdown).
   */
  settled(): Promise<void>;
}

/** How often the answer-rate counters are written: a question costs no store write of its own. */
const countFlushMs = 10_000;

export function feedbackObserver(log: FeedbackLog, logger: Logger): FeedbackObserver {
  const pending = new Set<Promise<void>>();
  // Counts gathered in memory per surface, written together: [asked, answered].
  let counts = new Map<string, [number, number]>();
  let timer: NodeJS.Timeout | undefined;

  const track = (work: Promise<unknown>, surface?: string): void => {
    const guarded = work
      .then(() => undefined)
      .catch((err: unknown) => {
        // An unreachable store has already said so itself: one line per question would only repeat it.
        if (log.store.healthy()) logger.error({ err, surface }, 'recording feedback failed');
        else logger.debug({ err, surface }, 'feedback not recorded: the state store is unreachable');
      });
    pending.add(guarded);
    void guarded.finally(() => pending.delete(guarded));
  };
  const flush = (): void => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (counts.size === 0) return;
    const batch = counts;
    counts = new Map();
    // Increments: batches written side by side (or by other replicas) add up.
    track(log.countQuestions(batch));
  };

  return {
    answered({ surface, query, answer, user }) {
      const q = query.trim();
      // The answer rate is of questions people typed: help is none, and a card a click opens or draws again repeats one.
      if (!q || answer.kind === 'help' || !typedOn(surface)) return;
      const answered = answer.kind !== 'none';
      const c = counts.get(surface) ?? [0, 0];
      counts.set(surface, [c[0] + 1, c[1] + (answered ? 1 : 0)]);
      if (!timer) {
        timer = setTimeout(flush, countFlushMs);
        timer.unref();
      }
      if (!answered) track(log.record({ type: 'unanswered', query: q, ids: [], surface, user: user ?? '' }), surface);
    },
    async settled() {
      flush();
      while (pending.size) await Promise.allSettled([...pending]);
      await log.flushWaiting();
    },
  };
}
