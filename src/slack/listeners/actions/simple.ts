/** Buttons that need little: the documentation link (Slack still sends an action) and "How to ask". */
import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { SlackDeps } from '../../deps.js';

type Args = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;

/** A link button opens the URL in the browser; the action only needs acknowledging. */
export function createAckOnly() {
  return async ({ ack }: Args): Promise<void> => {
    await ack();
  };
}

/** "How to ask" on a no-answer reply: the help card, privately. */
export function createHelpAction(deps: SlackDeps) {
  return async ({ ack, body, respond, client }: Args): Promise<void> => {
    await ack();
    const help = deps.core.render.help();
    if (body.container && (body.container as { type?: string }).type === 'view') {
      await client.views.open({ trigger_id: body.trigger_id, view: deps.core.render.modal(help) });
      return;
    }
    await respond({ response_type: 'ephemeral', replace_original: false, ...help });
  };
}
