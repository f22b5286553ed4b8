/** `/aws <query>`: acked inside Slack's 3-second window with the card, ephemeral, with "Share in channel". */
import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { parseCommand } from '../../../commands.js';
import { renderError, type Message } from '../../../render/index.js';
import { reply, type SlackDeps } from '../../deps.js';
import { fromSlackText } from '../../text.js';

export interface CommandExtras {
  /** `/aws tips [on|off]` for this channel (the daily tip). */
  tips?: (action: 'on' | 'off' | 'status', channel: string, user: string) => Promise<Message>;
  /** `/aws stats` for admins. */
  stats?: (user: string) => Promise<Message>;
}

export function createAwsCommand(deps: SlackDeps, extras: CommandExtras = {}) {
  return async ({ command, ack }: SlackCommandMiddlewareArgs & AllMiddlewareArgs): Promise<void> => {
    let message: Message;
    try {
      message = await respondTo(deps, extras, fromSlackText(command.text ?? ''), command.channel_id, command.user_id);
    } catch (err) {
      deps.log.error({ err, surface: 'slash' }, 'slash command failed');
      message = renderError();
    }
    await ack({ response_type: 'ephemeral', ...message });
  };
}

async function respondTo(deps: SlackDeps, extras: CommandExtras, text: string, channel: string, user: string): Promise<Message> {
  const cmd = parseCommand(text);
  switch (cmd.type) {
    case 'help':
      return deps.core.render.help();
    case 'tip': {
      const tip = deps.tips.onDemand();
      return tip ? deps.core.render.tip(tip, 'Tip') : deps.core.render.help();
    }
    case 'tips':
      if (extras.tips) return extras.tips(cmd.action, channel, user);
      return reply(deps, text, 'slash', { share: true }, user).message;
    case 'stats':
      if (extras.stats) return extras.stats(user);
      return reply(deps, text, 'slash', { share: true }, user).message;
    case 'ask':
      return reply(deps, cmd.query, 'slash', { share: true }, user).message;
  }
}
