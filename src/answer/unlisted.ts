/**
 * The AWS services the knowledge has no entry for (knowledge/unlisted/), found in a question by the names it uses
 * for them, as whole words in any case: "amazon keyspaces" is Keyspaces; "connect to rds" is not Amazon Connect.
 */
import type { UnlistedService } from '../knowledge/schema.js';

/** The first unlisted service a text names, if any. */
export function unlistedFinder(services: readonly UnlistedService[]): (text: string) => UnlistedService | undefined {
  if (services.length === 0) return () => undefined;
  const asPattern = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/g, '[\\s_-]+');
  const bySay = new Map<string, UnlistedService>();
  for (const u of services) for (const say of u.says) bySay.set(say.toLowerCase().replace(/\s+/g, ' '), u);
  // Longest names first, so "fsx for lustre" is one match, not "fsx" and a rest.
  const says = [...bySay.keys()].sort((a, b) => b.length - a.length);
  const pattern = new RegExp(`(?<![a-z0-9])(?:${says.map(asPattern).join('|')})(?![a-z0-9])`, 'i');
  return (text) => {
    const m = pattern.exec(text);
    return m ? bySay.get(m[0].toLowerCase().replace(/[\s_-]+/g, ' ')) : undefined;
  };
}
