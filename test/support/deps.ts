/**
 * SlackDeps for tests that call listeners directly: the real answer, render and replier over the project's
 * knowledge, a captured logger, and small stand-ins for tips, stats and the feedback log that a test can replace.
 */
import type { Core } from '../../src/core.js';
import { loadCore } from '../../src/loadCore.js';
import type { Message } from '../../src/render/index.js';
import { createReplier, type AnswerObserver } from '../../src/reply.js';
import { Conversations } from '../../src/slack/conversations.js';
import type { SlackDeps } from '../../src/slack/deps.js';
import { MemoryStore } from '../feedback/memory-store.js';
import { capturedLog, type CapturedLog } from './logs.js';
import { createPrompts } from '../../src/slack/listeners/assistant/prompts.js';

let shared: Core | undefined;

/** One loadCore() per test file (vitest gives every file its own module registry). */
export function getCore(): Core {
  return (shared ??= loadCore());
}

/** "Is this the first time?" per assistant thread, in memory (the bot claims it in the state store). */
function firstTime(): (channel: string, threadTs: string) => Promise<boolean> {
  const seen = new Set<string>();
  return async (channel, threadTs) => !seen.has(`${channel} ${threadTs}`) && Boolean(seen.add(`${channel} ${threadTs}`));
}

export interface TestDeps extends CapturedLog {
  deps: SlackDeps;
  /** Every reply the replier made, as its observers heard it. */
  answered: Parameters<AnswerObserver['answered']>[0][];
}

export function testDeps(over: Partial<SlackDeps> & { feedbackButtons?: boolean } = {}): TestDeps {
  const core = getCore();
  const captured = capturedLog();
  const answered: TestDeps['answered'] = [];
  const notice = (text: string): Promise<Message> => Promise.resolve(core.render.notice(text));
  const { feedbackButtons, ...rest } = over;
  const deps: SlackDeps = {
    // Through the client the test hands the listener, which records it as `chat.postMessage`.
    post: (client, args) => client.chat.postMessage(args),
    replier: createReplier({
      answer: core.answer,
      render: core.render,
      log: captured.log,
      observers: [{ answered: (a) => void answered.push(a) }],
      feedback: feedbackButtons ?? over.feedback !== undefined,
      named: (text) => core.searcher.servicesNamedIn(text),
    }),
    render: core.render,
    kb: core.kb,
    log: captured.log,
    tips: { onDemand: () => core.kb.tips[0], today: () => core.kb.tips[0], command: (action) => notice(`tips ${action}`) },
    stats: () => notice('stats'),
    feedback: undefined,
    conversations: new Conversations({ store: new MemoryStore() }),
    admins: [],
    servicesNamedIn: (text) => core.searcher.servicesNamedIn(text),
    assistant: { prompts: createPrompts(core.kb, core.answer), firstQuestion: firstTime() },
    ...rest,
  };
  return { ...captured, deps, answered };
}
