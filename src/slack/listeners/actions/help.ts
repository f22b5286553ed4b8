/** "How to ask" on a no-answer reply: the help card, privately (in a modal when the button was in one or on Home). */
import type { SlackDeps } from '../../deps.js';
import { containerOf, type ButtonArgs } from './args.js';

export function createHelpAction(deps: SlackDeps) {
  return async ({ ack, body, respond, client }: ButtonArgs): Promise<void> => {
    await ack();
    const help = deps.render.help();
    if (containerOf(body)?.type === 'view') {
      await client.views.open({ trigger_id: body.trigger_id, view: deps.render.modal(help) });
      return;
    }
    await respond({ response_type: 'ephemeral', replace_original: false, ...help });
  };
}
