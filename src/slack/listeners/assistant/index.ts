/**
 * Slack's assistant pane (Agents & AI Apps), through Bolt's `Assistant`: when a person opens the bot in the side
 * pane, a one-line greeting and suggested prompts drawn from the knowledge (a limit, a comparison, a pasted error,
 * a practice); each question in that thread gets the same answer as anywhere else, through the replier (surface
 * `assistant`), and the thread is titled after its first question. The channel the person is looking at (the
 * thread's context) is neither read nor kept.
 *
 * The Assistant handles only assistant-thread events: `assistant_thread_started`, `assistant_thread_context_changed`
 * and a person's message in a DM thread. In a workspace without the feature those never come but for a reply in a
 * thread of the bot's DM, which is answered in that thread just as the DM listener would (surface `dm`): the pane's
 * extras, the status and the title, are best effort, and Slack refusing the status is how such a thread is told
 * from the pane's.
 */
import { Assistant, type AllMiddlewareArgs, type AssistantThreadStartedMiddleware, type AssistantUserMessageMiddleware } from '@slack/bolt';
import { renderError } from '../../../render/index.js';
import { truncate } from '../../../render/blocks.js';
import type { SlackDeps } from '../../deps.js';
import { questionFromSlack } from '../../text.js';
import { failSoft, isSlackApiError } from '../soft.js';

type StartedArgs = Parameters<AssistantThreadStartedMiddleware>[0] & AllMiddlewareArgs;
type MessageArgs = Parameters<AssistantUserMessageMiddleware>[0] & AllMiddlewareArgs;

export const greeting = "Hi! Ask me about any AWS service: a limit, a comparison, or paste an AWS error, and I'll answer from the guide.";
export const promptsTitle = 'Try one of these';
/** Slack's thread titles are short; the first question is cut to this. */
const maxTitle = 80;

export function createAssistant(deps: SlackDeps): Assistant {
  /** Whether Slack took the call: the pane's extras are refused outside an assistant thread, and that is only logged. */
  const bestEffort = async (what: string, call: () => Promise<unknown>): Promise<boolean> => {
    try {
      await call();
      return true;
    } catch (err) {
      deps.log.debug({ err, surface: 'assistant' }, `assistant pane: ${what} refused`);
      return false;
    }
  };

  const threadStarted = async ({ event, client, setSuggestedPrompts }: StartedArgs): Promise<void> => {
    const { channel_id: channel, thread_ts } = event.assistant_thread;
    await deps.post(client, { channel, thread_ts, ...deps.render.notice(greeting) });
    const prompts = deps.assistant.prompts(thread_ts);
    if (prompts.length) await setSuggestedPrompts({ prompts, title: promptsTitle });
  };

  const userMessage = async ({ message, client, context, setStatus, setTitle }: MessageArgs): Promise<void> => {
    if (message.subtype !== undefined || !('user' in message) || !message.user || ('bot_id' in message && message.bot_id)) return;
    if (!('thread_ts' in message) || !message.thread_ts) return;
    const question = questionFromSlack(message.text ?? '', context.botUserId);
    const { channel, thread_ts } = message;
    // The status shows while the answer is on its way; Slack taking it also says this is the pane (not a DM thread).
    const inPane = await bestEffort('status', () => setStatus('is checking the guide…'));
    const { message: reply } = deps.replier.ask(question, { surface: inPane ? 'assistant' : 'dm', user: message.user });
    await deps.post(client, { channel, thread_ts, ...reply, unfurl_links: false, unfurl_media: false });
    if (inPane && question && (await deps.assistant.firstQuestion(channel, thread_ts)))
      await bestEffort('title', () => setTitle(truncate(question, maxTitle)));
  };

  const apologize = async (args: MessageArgs, err: unknown): Promise<void> => {
    const m = args.message as { channel?: string; thread_ts?: string };
    if (m.channel && m.thread_ts && !isSlackApiError(err))
      await deps.post(args.client, { channel: m.channel, thread_ts: m.thread_ts, ...renderError() });
  };

  return new Assistant({
    // The context (the channel the person is looking at) is not used: nothing is read, nothing is kept.
    threadContextStore: { get: async () => ({}), save: async () => undefined },
    threadStarted: failSoft<StartedArgs>(deps.log, 'assistant', threadStarted),
    threadContextChanged: async () => undefined,
    userMessage: failSoft<MessageArgs>(deps.log, 'assistant', userMessage, apologize),
  });
}

/** Registers the Assistant on the app (as Bolt's middleware: it takes assistant-thread events before any listener). */
export function register(app: { assistant(a: Assistant): unknown }, deps: SlackDeps): void {
  app.assistant(createAssistant(deps));
}
