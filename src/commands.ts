/**
 * What `/aws <text>` asks for: a subcommand (tips, stats), or a question, help included (the answer layer decides
 * what help is). Shared by the Slack command listener and the local console, so both understand the same words.
 */
export type Command =
  | { type: 'tip' }
  | { type: 'tips'; action: 'on' | 'off' | 'status' }
  | { type: 'stats' }
  | { type: 'followups'; action: 'on' | 'off' | 'status' }
  | { type: 'ask'; query: string };

export function parseCommand(text: string): Command {
  const t = text.trim();
  const lower = t.toLowerCase().replace(/\s+/g, ' ');
  if (lower === 'tip') return { type: 'tip' };
  if (lower === 'tips') return { type: 'tips', action: 'status' };
  if (lower === 'tips on' || lower === 'tips off') return { type: 'tips', action: lower === 'tips on' ? 'on' : 'off' };
  if (lower === 'stats') return { type: 'stats' };
  // `/aws follow-ups off`: also "followups" and "follow ups".
  const followUps = /^follow[- ]?ups?(?: (on|off))?$/.exec(lower);
  if (followUps) return { type: 'followups', action: (followUps[1] as 'on' | 'off' | undefined) ?? 'status' };
  return { type: 'ask', query: t };
}
