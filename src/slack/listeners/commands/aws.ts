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
    const message = await replyTo(deps, questionFromSlack(command.text ?? ''), command.channel_id, command.user_id);
    await ack({ response_type: 'ephemeral', ...message });
  };
}

async function replyTo(deps: SlackDeps, text: string, channel: string, user: string): Promise<Message> {
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
