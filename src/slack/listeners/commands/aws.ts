/** `/aws <text>`: acked inside Slack's 3-second window with the reply, ephemeral, with "Share in channel". */
import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { parseCommand } from '../../../commands.js';
import type { Message } from '../../../render/index.js';
import type { SlackDeps } from '../../deps.js';
import { questionFromSlack } from '../../text.js';
import { followUpsCommand } from './followUps.js';

export type CommandArgs = SlackCommandMiddlewareArgs & AllMiddlewareArgs;

export function createAwsCommand(deps: SlackDeps) {
  return async ({ command, ack }: CommandArgs): Promise<void> => {
    const reply = replyTo(deps, questionFromSlack(command.text ?? ''), command.channel_id, command.user_id);
    // A question (or a tip) is answered synchronously and acked at once: awaiting it would let Bolt run the
    // matching of every other listener first, before the ack.
    await ack({ response_type: 'ephemeral', ...(reply instanceof Promise ? await reply : reply) });
  };
}

/** The reply; synchronous for what needs no store (a question, help, a tip), a promise for the subcommands that read it. */
function replyTo(deps: SlackDeps, text: string, channel: string, user: string): Message | Promise<Message> {
  const cmd = parseCommand(text);
  switch (cmd.type) {
    case 'tip': {
      const tip = deps.tips.onDemand();
      return tip ? deps.render.tip(tip, 'Tip') : deps.render.help();
    }
    case 'tips':
      return deps.tips.command(cmd.action, channel, user);
    case 'stats':
      return deps.stats(user);
    case 'followups':
      return followUpsCommand(deps, cmd.action, channel);
    case 'ask':
      return deps.replier.ask(cmd.query, { surface: 'slash', user, render: { share: true } }).message;
  }
}
