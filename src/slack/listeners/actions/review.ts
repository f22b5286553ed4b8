/**
 * "Post in thread" on a private thread review: the same checklist posted in the thread for everyone, saying who
 * shared it; the private copy goes (when it was an ephemeral message). Where the bot may not post, the clicker is
 * told how to let it.
 */
import { parsePostReviewValue } from '../../../render/review.js';
import type { SlackDeps } from '../../deps.js';
import { containerOf, isEphemeral, type ButtonArgs } from './args.js';

export function createPostReviewAction(deps: SlackDeps) {
  return async ({ ack, body, action, respond, client }: ButtonArgs): Promise<void> => {
    await ack();
    const where = parsePostReviewValue(action.value);
    const clickedIn = body.channel?.id ?? containerOf(body)?.channel_id ?? '';
    // From the channel itself, only into that channel; from the DM the review went to, into the channel it names.
    if (!where || (!clickedIn.startsWith('D') && clickedIn !== where.channel)) {
      deps.log.warn({ surface: 'button', action: action.action_id }, 'post-review button with an unreadable value: ignored');
      return;
    }
    const ids = where.ids.filter((id) => deps.kb.byId.has(id));
    const message = deps.render.review({ ids, sharedBy: body.user.id });
    try {
      await deps.post(client, { channel: where.channel, thread_ts: where.threadTs, ...message, unfurl_links: false, unfurl_media: false });
    } catch (err) {
      deps.log.warn({ err, surface: 'button' }, 'the review could not be posted in its thread');
      await respond({
        response_type: 'ephemeral',
        replace_original: false,
        ...deps.render.notice("I can't post in that channel. Invite me (`/invite @AWS Guide`) and try again."),
      });
      return;
    }
    deps.log.info({ surface: 'button', ids }, 'thread review posted');
    if (isEphemeral(body)) await respond({ delete_original: true });
  };
}
