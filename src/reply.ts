/**
 * A question to its reply, for every surface: the answer, the rendered message, one `answered` log line (surface,
 * query, entry ids, milliseconds) and every observer told (metrics, the feedback log). Slack's listeners, buttons
 * and re-renders all come through here, so every reply is logged and counted the same way.
 */
import { answersFollowUp, type Answer, type Answerer, type AskContext } from './answer/index.js';
import { repliesToFollowUp } from './followup.js';
import type { Logger } from './logger.js';
import { depthLabels, type DepthView } from './render/depth.js';
import type { Message, Renderer, RenderOptions } from './render/index.js';

/**
 * Where a question came from; logged, counted, and kept with feedback. `button`: a card opened or drawn again by
 * a click; `home`: a card opened from the App Home tab; `share`: a card shared to a channel; `followup`: a message
 * in a thread the bot answered in, without a mention; `assistant`: a question in Slack's assistant pane.
 */
export type Surface = 'slash' | 'mention' | 'dm' | 'button' | 'home' | 'share' | 'followup' | 'assistant';

export const surfaces: readonly Surface[] = ['slash', 'mention', 'dm', 'button', 'home', 'share', 'followup', 'assistant'];

/** Whether a person typed the question there (the others draw a card again for a click). */
export function typedOn(surface: Surface): boolean {
  return surface === 'slash' || surface === 'mention' || surface === 'dm' || surface === 'followup' || surface === 'assistant';
}

/** What an observer hears of each reply. */
export interface Answered {
  surface: Surface;
  query: string;
  answer: Answer;
  ms: number;
  /** The Slack user id of the person who asked, when there is one. */
  user?: string;
}

/** Hooks that observe replies: metrics and the record of unanswered questions. */
export interface AnswerObserver {
  answered(info: Answered): void;
}

/** Who asked, where, and what the surface adds to the card (share and feedback buttons, "shared by"). */
export interface Asker {
  surface: Surface;
  user?: string;
  render?: RenderOptions;
}

export interface Reply {
  answer: Answer;
  message: Message;
}

export interface Replier {
  /** The reply to a question in words, in the context of its conversation when there is one (a thread's subject). */
  ask(question: string, asker: Asker, context?: AskContext): Reply;
  /**
   * The reply to a message nobody addressed to the bot (a thread message without a mention), only when it reads as
   * a question the bot can answer (src/followup.ts); otherwise undefined, and nothing is logged or counted: people
   * talk in threads, and what they say there is not a question for the bot.
   */
  followUp(question: string, asker: Asker, context: AskContext): Reply | undefined;
  /** The reply that shows given entries (a button, a re-render); undefined when an id is unknown. */
  show(ids: readonly string[], asker: Asker, question?: string): Reply | undefined;
  /** A service card's depth (its limits, how-tos or pitfalls), drawn for a click; undefined when the id is unknown. */
  depth(id: string, view: DepthView, asker: Asker): Reply | undefined;
}

/**
 * The answer to a question addressed to the bot (a mention, a DM, the console) in its conversation's context: read
 * as about the subject when that gives a real answer ("what about FIFO?" after SQS); otherwise ("thanks!", "ok")
 * the question is answered on its own, as if there were no subject, rather than with the subject's card.
 */
export function answerInContext(answerer: Answerer, question: string, context: AskContext | undefined): Answer {
  const answer = answerer.ask(question, context);
  if (!context?.subject || answer.fromSubject === undefined || answersFollowUp(answer)) return answer;
  return answerer.ask(question);
}

export interface ReplierDeps {
  answer: Answerer;
  render: Renderer;
  log: Logger;
  observers: readonly AnswerObserver[];
  /** Feedback buttons on answers (FEEDBACK=on). */
  feedback: boolean;
  /** The services a text names (`Searcher.servicesNamedIn`): a follow-up about another service must name it. */
  named: (text: string) => string[];
  /**
   * When the `answered` line and the observers run (default: at once, before the reply is returned). The Slack app
   * passes `setImmediate`: a reply is acked or posted first, and what only records it runs after (Slack's advice:
   * ack first, then do the rest). The milliseconds logged are the answer's and the render's either way.
   */
  defer?: (work: () => void) => void;
}

export function createReplier(deps: ReplierDeps): Replier {
  const finish = (answer: Answer, started: number, asker: Asker, depth?: DepthView): Reply => {
    const opts: RenderOptions = { feedback: deps.feedback, ...asker.render };
    const message = depth ? deps.render.depth(answer, depth, opts) : deps.render.answer(answer, opts);
    const ms = Math.round((performance.now() - started) * 100) / 100;
    const { surface, user } = asker;
    const report = (): void => {
      deps.log.info(
        { surface, query: answer.query, ids: answer.results.map((r) => r.entry.id), kind: answer.kind, ...(depth ? { depth } : {}), ms },
        'answered',
      );
      for (const o of deps.observers) {
        try {
          o.answered({ surface, query: answer.query, answer, ms, ...(user ? { user } : {}) });
        } catch (err) {
          // Deferred, a throw here would reach no listener: an observer that fails costs its record, not the process.
          deps.log.error({ err, surface }, 'an answer observer failed');
        }
      }
    };
    if (deps.defer) deps.defer(report);
    else report();
    return { answer, message };
  };
  return {
    ask(question, asker, context) {
      const started = performance.now();
      return finish(answerInContext(deps.answer, question, context), started, asker);
    },
    followUp(question, asker, context) {
      const started = performance.now();
      const answer = deps.answer.ask(question, context);
      return repliesToFollowUp(question, answer, deps.named(question), context.subject) ? finish(answer, started, asker) : undefined;
    },
    show(ids, asker, question) {
      const started = performance.now();
      const answer = deps.answer.show(ids, question);
      return answer ? finish(answer, started, asker) : undefined;
    },
    depth(id, view, asker) {
      const started = performance.now();
      const card = deps.answer.show([id]);
      if (card?.kind !== 'entry') return undefined;
      // What the view asks of the entry, as the log and the feedback on it record it ("Amazon SQS: limits").
      return finish({ ...card, query: `${card.results[0].entry.name}: ${depthLabels[view].toLowerCase()}` }, started, asker, view);
    },
  };
}
