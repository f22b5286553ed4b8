/**
 * What every Slack listener needs, built whole once at start (src/slack/start.ts) and never changed afterwards,
 * passed explicitly (no module-level singletons), so tests build their own.
 */
import type { AllMiddlewareArgs } from '@slack/bolt';
import type { KnowledgeBase } from '../knowledge/load.js';
import type { FeedbackLog } from '../feedback/store.js';
import type { Logger } from '../logger.js';
import type { Message, Renderer } from '../render/index.js';
import type { Replier } from '../reply.js';
import type { TipSource } from '../tips/service.js';
import type { SuggestedPrompt } from './listeners/assistant/prompts.js';
import type { Conversations } from './conversations.js';
import type { PostArgs } from './post.js';

export interface SlackDeps {
  /**
   * chat.postMessage for a listener, given the client Bolt handed it. The Slack app sends it as one JSON POST
   * (src/slack/post.ts: the same retries and errors as the client, without its per-call work); tests hand it to the
   * client, which records it.
   */
  post(client: AllMiddlewareArgs['client'], args: PostArgs): Promise<unknown>;
  /** A question to its reply, logged and counted: every answer any listener sends comes from here. */
  replier: Replier;
  /** Cards that are not answers: help, home, notices, modals, the feedback acknowledgements. */
  render: Renderer;
  /** Entry names, for the 👎 modal's title line. */
  kb: Pick<KnowledgeBase, 'byId'>;
  log: Logger;
  tips: TipSource;
  /** `/aws stats` for a Slack user id: the summary for ADMIN_USERS, a polite refusal for everyone else. */
  stats(user: string): Promise<Message>;
  /** The feedback log, or undefined with FEEDBACK=off (then 👍/👎, "Suggest this topic" and the modal are only acked). */
  feedback: FeedbackLog | undefined;
  /** The threads the bot answered in and their subjects, DM subjects, and where follow-ups are off (state store). */
  conversations: Conversations;
  /** ADMIN_USERS: who may turn follow-ups off and on for the whole workspace, on App Home. */
  admins: readonly string[];
  /** The AWS services a text names, in order (the search's names: ARNs, endpoints, aliases), for "Review AWS usage". */
  servicesNamedIn(text: string): string[];
  /** The assistant pane: the suggested prompts of a new thread, and whether a question is its thread's first (the title). */
  assistant: {
    prompts(threadTs: string): SuggestedPrompt[];
    firstQuestion(channel: string, threadTs: string): Promise<boolean>;
  };
}
