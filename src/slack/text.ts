/** Plain values out of Slack text. */

/**
 * Slack sends the `&`, `<` and `>` a user typed as `&amp;`, `&lt;` and `&gt;` (in message events and in
 * slash-command text); the query is the user's words, so they are decoded once. Replies escape them again.
 */
export function fromSlackText(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** The question in a mention or DM: the bot's own mention (and any leading mention) removed, whitespace tidied. */
export function queryFromMention(text: string, botUserId?: string): string {
  let t = text;
  if (botUserId) t = t.split(`<@${botUserId}>`).join(' ');
  return fromSlackText(t.replace(/^\s*(<@[A-Z0-9]+(\|[^>]*)?>\s*)+/, '')).replace(/\s+/g, ' ').trim();
}
