/**
 * Slack text → the user's plain words, in one place. Slack sends a message's (and a slash command's) text with
 * its markup (`<@U123>`, `<#C1|general>`, `<!here>`, `<https://x|label>`) and with the `&`, `<` and `>` a person
 * typed encoded as `&amp;`, `&lt;` and `&gt;`. The markup is removed first, then the entities are decoded, once:
 * a person who typed `&lt;` gets `&lt;`, not `<`. Everything after this works on plain text; replies escape again.
 */

/** The question in a Slack message or slash command: mentions out, links as their label, entities decoded once. */
export function questionFromSlack(text: string, botUserId?: string): string {
  let t = text;
  if (botUserId) t = t.split(`<@${botUserId}>`).join(' ');
  return t
    .replace(/<[@#!][^>]*>/g, ' ')
    .replace(/<[^>|]+\|([^>]+)>/g, ' $1 ')
    .replace(/<([^>]+)>/g, ' $1 ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}
