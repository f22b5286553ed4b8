/** "Share in channel" on an ephemeral slash-command card: the same card, posted for everyone, saying who shared it. */
import type { SlackDeps } from '../../deps.js';
import type { ButtonArgs } from './args.js';

export function createShareAction(deps: SlackDeps) {
  return async ({ ack, body, action, respond }: ButtonArgs): Promise<void> => {
    await ack();
    const { message } = deps.replier.ask(action.value ?? '', { surface: 'share', user: body.user.id, render: { sharedBy: body.user.id } });
    // The response_url posts for everyone even where the bot is not a member; then the private copy goes.
    await respond({ response_type: 'in_channel', replace_original: false, ...message });
    await respond({ delete_original: true });
  };
}
