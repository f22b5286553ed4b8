/**
 * `/aws follow-ups on|off` (and `/aws follow-ups`, which says how it is): whether, in this channel, a question in a
 * thread the bot answered in gets an answer without an @mention. On by default; kept in the state store, so every
 * replica knows. App Home can turn them off for the whole workspace; this says so when it has.
 */
import type { Message } from '../../../render/index.js';
import type { SlackDeps } from '../../deps.js';

const how = 'in a thread where I have answered, a question asked without mentioning me gets an answer too; other messages get none';

export async function followUpsCommand(deps: SlackDeps, action: 'on' | 'off' | 'status', channel: string): Promise<Message> {
  const notice = (text: string): Message => deps.render.notice(text);
  if (channel.startsWith('D')) return notice('Follow-ups are for threads in channels: here, in our DM, every message gets an answer.');
  const c = deps.conversations;
  if (action !== 'status') await c.setChannelFollowUps(channel, action === 'on');
  const [here, everywhere] = await Promise.all([c.channelFollowUps(channel), c.everywhereFollowUps()]);
  const elsewhere = everywhere ? '' : ' They are off for the whole workspace, though (App Home), so none are answered until that is turned back on.';
  if (here) return notice(`Follow-ups are on in this channel: ${how}. \`/aws follow-ups off\` stops them.${elsewhere}`);
  return notice('Follow-ups are off in this channel: only @mentions get an answer here. `/aws follow-ups on` turns them back on.');
}
