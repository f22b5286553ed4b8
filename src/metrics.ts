/**
 * The bot's Prometheus metrics (prom-client), in a registry of its own: no global state, so every bot a test
 * starts counts for itself. Fed by an AnswerObserver (questions, latency), by each tip slot's result, and by the
 * Socket Mode client's connection events (see src/http.ts).
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Answer } from './answer/index.js';
import { surfaces, type AnswerObserver } from './reply.js';

/** What became of a question: a card or comparison, the help card, or "no confident answer". */
export type Outcome = 'answered' | 'help' | 'unanswered';

export function outcomeOf(answer: Answer): Outcome {
  return answer.kind === 'none' ? 'unanswered' : answer.kind === 'help' ? 'help' : 'answered';
}

const outcomes: readonly Outcome[] = ['answered', 'help', 'unanswered'];

export interface MetricsOptions {
  /** Process and Node.js metrics (CPU, memory, event loop lag, GC); default true. */
  defaultMetrics?: boolean;
}

export class Metrics {
  readonly registry = new Registry();
  readonly questions: Counter<'surface' | 'outcome'>;
  readonly latency: Histogram<'surface'>;
  readonly tipsPosted: Counter;
  readonly tipsFailed: Counter;
  readonly tipSlotsSkipped: Counter;
  readonly reconnects: Counter;
  readonly socketConnected: Gauge;
  readonly storeUp: Gauge;

  /** `storeHealthy` is read at scrape time (the store knows its own connection). */
  constructor(storeHealthy: () => boolean = () => true, opts: MetricsOptions = {}) {
    const registers = [this.registry];
    this.questions = new Counter({
      name: 'awsguide_questions_total',
      help: 'Questions answered, by surface (slash, mention, dm, button, home) and outcome (answered, help, unanswered).',
      labelNames: ['surface', 'outcome'] as const,
      registers,
    });
    this.latency = new Histogram({
      name: 'awsguide_answer_duration_seconds',
      help: 'Time to search and render an answer (not the Slack round trip), by surface.',
      labelNames: ['surface'] as const,
      // Answers take about a millisecond; the upper buckets catch a starved event loop.
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers,
    });
    this.tipsPosted = new Counter({ name: 'awsguide_tips_posted_total', help: 'Tips posted to a channel.', registers });
    this.tipsFailed = new Counter({
      name: 'awsguide_tips_failed_total',
      help: 'Tips that could not be posted to a channel (Slack refused, the state store failed).',
      registers,
    });
    this.tipSlotsSkipped = new Counter({
      name: 'awsguide_tip_slots_skipped_total',
      help: 'Tip slots this replica skipped because the state store was unreachable.',
      registers,
    });
    this.reconnects = new Counter({
      name: 'awsguide_socket_reconnects_total',
      help: 'Socket Mode connections re-established after the first one (dropped sockets, refreshes by Slack).',
      registers,
    });
    this.socketConnected = new Gauge({
      name: 'awsguide_socket_connected',
      help: '1 while the Socket Mode connection is open, 0 otherwise.',
      registers,
    });
    this.storeUp = new Gauge({
      name: 'awsguide_state_store_up',
      help: '1 while the state store can be reached (always 1 for the file store).',
      registers,
      collect() {
        this.set(storeHealthy() ? 1 : 0);
      },
    });
    // Every series exists from the start, so rates and alerts work before the first question.
    for (const surface of surfaces) for (const outcome of outcomes) this.questions.inc({ surface, outcome }, 0);
    if (opts.defaultMetrics !== false) collectDefaultMetrics({ register: this.registry });
  }

  /** The AnswerObserver the replier tells of every reply. */
  readonly observer: AnswerObserver = {
    answered: ({ surface, answer, ms }) => {
      this.questions.inc({ surface, outcome: outcomeOf(answer) });
      this.latency.observe({ surface }, ms / 1000);
    },
  };

  /** Counts one tip slot's result (TipService.fire). */
  tipSlot(result: { posted: string[]; failed: string[] }): void {
    if (result.posted.length) this.tipsPosted.inc(result.posted.length);
    if (result.failed.length) this.tipsFailed.inc(result.failed.length);
  }

  /** The Prometheus text exposition. */
  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
