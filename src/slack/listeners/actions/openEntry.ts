/**
 * A button that opens an entry's card (a related service, a suggestion, a category, a tip's source). Where the
 * card goes depends on where the button was: in place of an ephemeral slash-command card; in a modal from the
 * App Home tab (or the modal it is in); otherwise as a new reply in the thread (or the DM).
 */
import type { SlackDeps } from '../../deps.js';
import { containerOf, isEphemeral, type ButtonArgs } from './args.js';

export function createOpenEntryAction(deps: SlackDeps) {
  return async ({ ack, body, action, respond, client }: ButtonArgs): Promise<void> => {
    await ack();
    const id = action.value ?? '';
    const container = containerOf(body);
    const inView = container?.type === 'view' && body.view !== undefined;
    const ephemeral = isEphemeral(body);
    const reply = deps.replier.show([id], { surface: inView ? 'home' : 'button', user: body.user.id, render: { share: ephemeral } });
    if (!reply) {
      deps.log.warn({ id }, 'button for an unknown entry');
      await respond({ response_type: 'ephemeral', replace_original: false, ...deps.render.notice('That entry is no longer in the knowledge base.') });
      return;
    }
    const { message } = reply;
    if (inView && body.view) {
      const view = deps.render.modal(message);
      if (body.view.type === 'modal') await client.views.update({ view_id: body.view.id, view });
      else await client.views.open({ trigger_id: body.trigger_id, view });
      return;
    }
    if (ephemeral) {
      await respond({ response_type: 'ephemeral', replace_original: true, ...message });
      return;
    }
    const channel = body.channel?.id;
    if (!channel) return;
    const posted = body.message as { ts?: string; thread_ts?: string } | undefined;
    const thread_ts = posted?.thread_ts ?? (channel.startsWith('D') ? undefined : posted?.ts);
    await deps.post(client, { channel, ...(thread_ts ? { thread_ts } : {}), ...message, unfurl_links: false, unfurl_media: false });
  };
}
