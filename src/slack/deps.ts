/**
 * What every Slack listener needs, passed explicitly (no module-level singletons), so tests build their own.
 */
import type { Core } from '../core.js';
import type { Logger } from '../logger.js';
import type { Tip } from '../knowledge/schema.js';
import type { Answer } from '../answer.js';
import { renderError, type Message, type RenderOptions } from '../render/index.js';

/** Where a question came from; logged, and kept with feedback. */
export type Surface = 'slash' | 'mention' | 'dm' | 'button' | 'home';

export interface TipSource {
  /** A tip to show now (`/aws tip`), without moving any channel's rotation. */
  onDemand(): Tip | undefined;
  /** Today's tip, for the App Home tab. */
  today(): Tip | undefined;
}

/** Answers each Slack event once, even when Slack redelivers it (`retry_attempt`) or another replica got it. */
export interface EventLedger {
  /** True the first time an event id is claimed, false after. */
  claim(eventId: string): Promise<boolean>;
}

/** Hooks that observe answers: metrics and the record of unanswered questions. */
export interface AnswerObserver {
  answered(info: { surface: Surface; query: string; answer: Answer; ms: number; user?: string }): void;
}

export interface SlackDeps {
  core: Core;
  log: Logger;
  events: EventLedger;
  tips: TipSource;
  observers: AnswerObserver[];
  /** Feedback buttons on answers (FEEDBACK=on). */
  feedback: boolean;
}

/** Answers a query for a surface and renders the reply; logs one line with query, entry ids and milliseconds. */
export function reply(deps: SlackDeps, query: string, surface: Surface, opts: RenderOptions = {}, user?: string): { answer: Answer; message: Message } {
  const started = performance.now();
  const answer = deps.core.answer(query);
  const message = deps.core.render.answer(answer, { feedback: deps.feedback, ...opts });
  const ms = Math.round((performance.now() - started) * 100) / 100;
  deps.log.info({ surface, query: query.slice(0, 200), ids: answer.results.map((r) => r.entry.id), kind: answer.kind, ms }, 'answered');
  for (const o of deps.observers) o.answered({ surface, query, answer, ms, ...(user ? { user } : {}) });
  return { answer, message };
}

/** The reply to a message in words (a mention, a DM): the help card when it is empty, an apology when answering fails. */
export function replyToMessage(deps: SlackDeps, query: string, surface: Surface, user?: string): Message {
  if (!query) return deps.core.render.help();
  try {
    return reply(deps, query, surface, {}, user).message;
  } catch (err) {
    deps.log.error({ err, surface }, 'answering failed');
    return renderError();
  }
}
