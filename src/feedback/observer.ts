/**
 * The answer observer that feeds the feedback log: every question counts for the answer rate of its surface, and
 * every question that got no answer is recorded as 'unanswered' (query, surface, time, hashed user).
 */
import type { Logger } from '../logger.js';
import type { AnswerObserver } from '../slack/deps.js';
import type { FeedbackLog } from './store.js';

export interface FeedbackObserver extends AnswerObserver {
  /** Resolves when every write started so far has finished (tests, shutdown). */
  settled(): Promise<void>;
}

export function feedbackObserver(log: FeedbackLog, logger: Logger): FeedbackObserver {
  const pending = new Set<Promise<void>>();
  return {
    answered({ surface, query, answer, user }) {
      const q = query.trim();
      if (!q || answer.kind === 'help') return;
      const answered = answer.kind !== 'none';
      const work = (async () => {
        await log.countQuestion(surface, answered);
        if (!answered) await log.record({ type: 'unanswered', query: q, ids: [], surface, user: user ?? '' });
      })().catch((err: unknown) => {
        // An unreachable store has already said so itself: one line per question would only repeat it.
        if (log.store.healthy()) logger.error({ err, surface }, 'recording feedback failed');
        else logger.debug({ err, surface }, 'feedback not recorded: the state store is unreachable');
      });
      pending.add(work);
      void work.finally(() => pending.delete(work));
    },
    async settled() {
      while (pending.size) await Promise.allSettled([...pending]);
    },
  };
}
