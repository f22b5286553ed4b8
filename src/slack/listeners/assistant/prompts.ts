/**
 * The suggested prompts of a new assistant-pane thread, drawn from the knowledge: a limit, a comparison, a pasted
 * error and a practice. Each candidate is kept only if the answer layer answers it as meant (the limit's fact leads,
 * the pair is compared, the error's fact leads, the practice's card comes), so a prompt clicked is never a miss; the
 * candidates are found once, on the first thread, and each thread gets one of each kind, picked by its ts.
 */
import { createHash } from 'node:crypto';
import type { Answerer } from '../../../answer/index.js';
import type { KnowledgeBase } from '../../../knowledge/load.js';
import type { Entry, Service } from '../../../knowledge/schema.js';

/** A prompt as `assistant.threads.setSuggestedPrompts` takes it: what the button says, what it sends. */
export interface SuggestedPrompt {
  title: string;
  message: string;
}

interface Pool {
  limit: SuggestedPrompt[];
  compare: SuggestedPrompt[];
  error: SuggestedPrompt[];
  practice: SuggestedPrompt[];
}

/** A service's name without "Amazon"/"AWS" (titles are short): "DynamoDB", "Lambda". */
const shortName = (e: Entry): string => e.name.replace(/^(Amazon|AWS)\s+/, '');

const words = (s: string): string[] =>
  s
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);

function buildPool(kb: Pick<KnowledgeBase, 'entries' | 'byId' | 'facts' | 'factsByEntry'>, answer: Answerer): Pool {
  const guide = kb.entries.filter((e): e is Service => e.kind === 'service' && e.source === 'guide');
  const inGuide = new Set(guide.map((e) => e.id));
  const pool: Pool = { limit: [], compare: [], error: [], practice: [] };

  for (const s of guide) {
    const own = new Set([...words(s.id), ...words(s.name), ...s.aliases.flatMap(words)]);
    for (const f of (kb.factsByEntry.get(s.id) ?? []).filter((x) => x.type === 'limit')) {
      // A plain "max …" way of asking in everyday words, without the service's own name or an API's: "max item size".
      const plain = (a: string): boolean =>
        a.split(' ').length <= 4 && a.split(' ').every((w) => w.length <= 10) && !words(a).some((w) => own.has(w));
      const ask = f.asks.find((a) => /^(max|maximum)\s/.test(a) && plain(a));
      if (!ask) continue;
      const message = `What is the ${ask} in ${s.name}?`;
      const a = answer.ask(message);
      if (a.kind === 'entry' && a.facts[0]?.id === f.id)
        pool.limit.push({ title: `${ask[0]!.toUpperCase()}${ask.slice(1)} in ${shortName(s)}`, message });
      break;
    }
  }

  const pairs = new Set<string>();
  for (const f of kb.facts) {
    if (f.type !== 'choice' || !inGuide.has(f.entry)) continue;
    const other = f.versus.find((id) => inGuide.has(id));
    const [a, b] = [kb.byId.get(f.entry), other ? kb.byId.get(other) : undefined];
    if (!a || !b || pairs.has([a.id, b.id].sort().join(' '))) continue;
    pairs.add([a.id, b.id].sort().join(' '));
    const message = `${a.name} or ${b.name}: which should I choose?`;
    const got = answer.ask(message);
    if (got.kind === 'compare' && got.results.every((r) => r.entry.id === a.id || r.entry.id === b.id))
      pool.compare.push({ title: `${shortName(a)} or ${shortName(b)}?`, message });
  }

  for (const f of kb.facts) {
    if (f.type !== 'error' || !inGuide.has(f.entry)) continue;
    // A code people paste whole, long enough to name one service's error: "ProvisionedThroughputExceededException".
    const code = f.errors.find((e) => /^[A-Z][A-Za-z]{15,}(Exception|Error|Fault)$/.test(e));
    if (!code) continue;
    const message = `${code}: what does it mean and how do I fix it?`;
    const a = answer.ask(message);
    if (a.kind === 'entry' && a.facts[0]?.id === f.id) pool.error.push({ title: 'Paste an AWS error', message });
  }

  for (const p of kb.entries.filter((e) => e.kind === 'practice')) {
    const a = answer.ask(p.name);
    if (a.kind === 'entry' && a.results[0].entry.id === p.id) pool.practice.push({ title: p.name, message: p.name });
  }
  return pool;
}

/** One candidate of a kind for a thread: the same thread always gets the same, threads get different ones. */
function pick<T>(list: readonly T[], seed: string, kind: string): T | undefined {
  if (!list.length) return undefined;
  const n = createHash('sha256').update(`${kind}:${seed}`).digest().readUInt32BE(0);
  return list[n % list.length];
}

/** Up to four prompts for a thread (Slack shows four at most): a limit, a comparison, an error, a practice. */
export function createPrompts(
  kb: Pick<KnowledgeBase, 'entries' | 'byId' | 'facts' | 'factsByEntry'>,
  answer: Answerer,
): (seed: string) => SuggestedPrompt[] {
  let pool: Pool | undefined;
  return (seed) => {
    pool ??= buildPool(kb, answer);
    const p = pool;
    return (['limit', 'compare', 'error', 'practice'] as const).flatMap((kind) => pick(p[kind], seed, kind) ?? []);
  };
}
