/**
 * `npm run check`: loads the knowledge folder and reports every problem, as the bot's start-up would, then lists
 * the facts not checked against their page for 12 months (they fail the check too: a stale fact is a promise no
 * one has kept lately).
 */
import { fileURLToPath } from 'node:url';
import { KnowledgeError, loadKnowledge, type KnowledgeBase } from '../knowledge/load.js';
import type { Fact } from '../knowledge/schema.js';

/** How long a fact stays trusted without a new check against its page. */
export const factShelfLifeDays = 365;

/** The facts last checked more than `factShelfLifeDays` before `today` (YYYY-MM-DD), oldest first. */
export function staleFacts(kb: Pick<KnowledgeBase, 'facts'>, today: string): Fact[] {
  const limit = Date.parse(`${today}T00:00:00Z`) - factShelfLifeDays * 86_400_000;
  return kb.facts.filter((f) => Date.parse(`${f.checked}T00:00:00Z`) < limit).sort((a, b) => a.checked.localeCompare(b.checked));
}

function main(dir: string): number {
  let kb: KnowledgeBase;
  try {
    kb = loadKnowledge(dir);
  } catch (err) {
    if (!(err instanceof KnowledgeError)) throw err;
    console.error(err.message);
    return 1;
  }
  const kinds = new Map<string, number>();
  for (const e of kb.entries) kinds.set(e.kind, (kinds.get(e.kind) ?? 0) + 1);
  const services = kb.entries.filter((e) => e.kind === 'service');
  const without = services.filter((s) => !kb.factsByEntry.has(s.id)).map((s) => s.id);
  const errors = kb.facts.filter((f) => f.type === 'error').length;
  console.log(
    `knowledge OK: ${kb.entries.length} entries (${[...kinds].map(([k, n]) => `${n} ${k}`).join(', ')}), ${kb.tips.length} tips, ` +
      `${kb.facts.length} facts (${errors} of them errors) on ${kb.factsByEntry.size} entries, ${kb.unlisted.length} AWS services listed as not covered`,
  );
  if (without.length) console.log(`services without facts: ${without.join(', ')}`);
  const stale = staleFacts(kb, new Date().toISOString().slice(0, 10));
  if (stale.length === 0) return 0;
  console.error(
    `${stale.length} fact${stale.length === 1 ? '' : 's'} not checked for ${(factShelfLifeDays / 365) * 12} months: read the page again, then update \`checked\`:`,
  );
  for (const f of stale) console.error(`  facts/${f.entry}.yaml ${f.id}: checked ${f.checked} against ${f.source}`);
  return 1;
}

process.exitCode = main(process.argv[2] ?? fileURLToPath(new URL('../../knowledge', import.meta.url)));
