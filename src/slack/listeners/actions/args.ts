import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';

/** What a button listener receives. */
export type ButtonArgs = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;

/** Where the clicked button was: a message (ephemeral or not), a modal, the App Home tab. */
export interface Container {
  type?: string;
  is_ephemeral?: boolean;
  channel_id?: string;
  message_ts?: string;
}

export function containerOf(body: ButtonArgs['body']): Container | undefined {
  return body.container as Container | undefined;
}

export function isEphemeral(body: ButtonArgs['body']): boolean {
  const c = containerOf(body);
  return c?.type === 'message' && c.is_ephemeral === true;
}
