/**
 * Slack text → the question as the person wrote it, in one place. Slack sends a message's (and a slash command's)
 * text with the `&`, `<` and `>` a person typed encoded as `&amp;`, `&lt;` and `&gt;`: they are decoded here, once (a
 * person who typed `&lt;` gets `&lt;`, not `<`). The bot's own mention goes; other mentions and links stay as Slack
 * wrote them (`<!here>`, `<@U123>`), so the reply can show the question back, escaped, and the search reads past
 * them (src/search/text.ts). Replies escape again.
 */

/** The question in a Slack message or slash command: the bot's mention (and any leading mention) out, entities decoded once. */
export function questionFromSlack(text: string, botUserId?: string): string {
  let t = text;
  if (botUserId) t = t.split(`<@${botUserId}>`).join(' ');
  return t
    .replace(/^\s*(<@[A-Z0-9]+(\|[^>]*)?>\s*)+/, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}
