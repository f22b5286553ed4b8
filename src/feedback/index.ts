/**
 * Feedback, assembled for the bot: the log over the state store, the observer recording unanswered questions,
 * and `/aws stats` for the admins. With FEEDBACK=off nothing is recorded and no button is shown.
 */
import type { Config } from '../config.js';
import type { KnowledgeBase } from '../knowledge/load.js';
import type { Logger } from '../logger.js';
import type { Message } from '../render/index.js';
import type { StateStore } from '../state/store.js';
import { statsMessage, statsRefusal, type NameOf } from './format.js';
import { feedbackObserver, type FeedbackObserver } from './observer.js';
import { FeedbackLog } from './store.js';
import { summarize, type Summary } from './summary.js';

export { FeedbackLog } from './store.js';

export interface Feedback {
  enabled: boolean;
  log: FeedbackLog;
  /** Registered as an AnswerObserver when enabled. */
  observer: FeedbackObserver;
  /** `/aws stats` for a Slack user id: the summary for ADMIN_USERS, a polite refusal for everyone else. */
  stats(user: string): Promise<Message>;
}

export interface FeedbackSetup {
  config: Pick<Config, 'feedback' | 'adminUsers'>;
  store: StateStore;
  kb: KnowledgeBase;
  log: Logger;
  now?: () => number;
}

export function createFeedback(s: FeedbackSetup): Feedback {
  const now = s.now ?? Date.now;
  const log = new FeedbackLog({ store: s.store, retentionDays: s.config.feedback.retentionDays, now, log: s.log });
  const admins = new Set(s.config.adminUsers);
  const name = nameIn(s.kb);
  const observer = feedbackObserver(log, s.log);
  return {
    enabled: s.config.feedback.enabled,
    log,
    observer,
    async stats(user) {
      if (!admins.has(user)) {
        s.log.info({ surface: 'slash', command: 'stats' }, 'stats refused: not an admin');
        return statsRefusal();
      }
      await observer.settled(); // the counts gathered in memory first
      const summary = await currentSummary(log, now());
      return statsMessage(summary, { name, retentionDays: log.retentionDays, maxRecords: log.maxRecords, enabled: s.config.feedback.enabled });
    },
  };
}

/** Prunes what has expired, then summarises what is left. */
export async function currentSummary(log: FeedbackLog, now: number): Promise<Summary> {
  await log.prune();
  return summarize(await log.records(), await log.dayCounts(), now);
}

export function nameIn(kb: Pick<KnowledgeBase, 'byId'> | undefined): NameOf {
  return (id) => kb?.byId.get(id)?.name ?? id;
}
