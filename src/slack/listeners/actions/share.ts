/** "Share in channel" on an ephemeral slash-command card: the same card, posted for everyone, saying who shared it. */
import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { SlackDeps } from '../../deps.js';

export function createShareAction(deps: SlackDeps) {
  return async ({ ack, body, action, respond }: SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs): Promise<void> => {
    await ack();
    const query = action.value ?? '';
    const answer = deps.core.answer(query);
    const message = deps.core.render.answer(answer, { sharedBy: body.user.id, feedback: deps.feedback });
    // The response_url posts for everyone even where the bot is not a member; then the private copy goes.
    await respond({ response_type: 'in_channel', replace_original: false, ...message });
    await respond({ delete_original: true });
    deps.log.info({ surface: 'share', ids: answer.results.map((r) => r.entry.id) }, 'shared in channel');
  };
}
