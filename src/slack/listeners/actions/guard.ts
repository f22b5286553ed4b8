/**
 * A button whose handler fails (the Web API refused the reply, an unexpected payload) still gets a short polite
 * reply where the user pressed it, and one logged error: never silence after a click.
 */
import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { renderError } from '../../../render/index.js';
import type { SlackDeps } from '../../deps.js';

type Args = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;

export function guarded(deps: SlackDeps, handler: (args: Args) => Promise<void>): (args: Args) => Promise<void> {
  return async (args) => {
    try {
      await handler(args);
    } catch (err) {
      deps.log.error({ err, surface: 'button', action: args.action?.action_id }, 'button failed');
      if (!args.body.response_url) return;
      try {
        await args.respond({ response_type: 'ephemeral', replace_original: false, ...renderError() });
      } catch {
        // The response_url itself is gone: nothing more can reach the user; the error is logged above.
      }
    }
  };
}
