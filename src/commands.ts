/**
 * What `/aws <text>` asks for: a subcommand (tips, stats), or a question, help included (the answer layer decides
 * what help is). Shared by the Slack command listener and the local console, so both understand the same words.
 */
export type Command =
  | { type: 'tip' }
  | { type: 'tips'; action: 'on' | 'off' | 'status' }
  | { type: 'stats' }
  | { type: 'ask'; query: string };

export function parseCommand(text: string): Command {
  const t = text.trim();
  const lower = t.toLowerCase().replace(/\s+/g, ' ');
  if (lower === 'tip') return { type: 'tip' };
  if (lower === 'tips') return { type: 'tips', action: 'status' };
  if (lower === 'tips on' || lower === 'tips off') return { type: 'tips', action: lower === 'tips on' ? 'on' : 'off' };
  if (lower === 'stats') return { type: 'stats' };
  return { type: 'ask', query: t };
}
