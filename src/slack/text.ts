/** Plain values out of Slack text. */

/** The question in a mention or DM: the bot's own mention (and any leading mention) removed, whitespace tidied. */
export function queryFromMention(text: string, botUserId?: string): string {
  let t = text;
  if (botUserId) t = t.split(`<@${botUserId}>`).join(' ');
  return t.replace(/^\s*(<@[A-Z0-9]+(\|[^>]*)?>\s*)+/, '').replace(/\s+/g, ' ').trim();
}
