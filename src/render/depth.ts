/**
 * A service card's depth: its limits, its how-tos and its pitfalls, each a view of the entry's facts by type (and,
 * for pitfalls, its senior-dev focus), and the services it is most often compared with. Pure, like the rest of
 * `render/`: the views and the row of depth buttons a service card carries.
 */
import { actions as ids } from '../ids.js';
import type { KnowledgeBase } from '../knowledge/load.js';
import type { Fact, FactType, Service } from '../knowledge/schema.js';
import { actions, bullets, button, context, escapeMrkdwn as esc, header, section, select, type Block, type Button, type Select } from './blocks.js';

export type DepthView = 'limits' | 'howto' | 'pitfalls';

export const depthViews: readonly DepthView[] = ['limits', 'howto', 'pitfalls'];

/** The label of each view: its button, and its heading after the entry's name. */
export const depthLabels: Readonly<Record<DepthView, string>> = { limits: 'Limits', howto: 'How-to', pitfalls: 'Pitfalls' };

/** The button (action_id) of each view. */
export const depthActionIds: Readonly<Record<DepthView, string>> = { limits: ids.depthLimits, howto: ids.depthHowto, pitfalls: ids.depthPitfalls };

/** The facts each view shows, by type: limits and defaults; how-tos; errors and behaviours (guarantees, gotchas). */
const viewTypes: Readonly<Record<DepthView, readonly FactType[]>> = {
  limits: ['limit', 'default'],
  howto: ['howto'],
  pitfalls: ['error', 'behaviour'],
};

/** Facts a view shows at most (each is one section; a message holds 50 blocks). */
export const maxDepthFacts = 15;

/** Services offered in "Compare with…" at most. */
export const maxCompared = 10;

/** The facts of one view of an entry, most asked first (the order of its facts file). */
export function depthFacts(kb: Pick<KnowledgeBase, 'factsByEntry'>, id: string, view: DepthView): Fact[] {
  const types = viewTypes[view];
  return (kb.factsByEntry.get(id) ?? []).filter((f) => types.includes(f.type));
}

/** Whether a view of a service has anything to show. */
export function hasDepth(kb: Pick<KnowledgeBase, 'factsByEntry'>, e: Service, view: DepthView): boolean {
  return depthFacts(kb, e.id, view).length > 0 || (view === 'pitfalls' && e.senior_focus.length > 0);
}

/**
 * The services an entry is most often compared with: those its own choice facts weigh it against, then those whose
 * choice facts weigh them against it, then its related services; services only, each once.
 */
export function comparedWith(kb: Pick<KnowledgeBase, 'byId' | 'facts' | 'factsByEntry'>, e: Service): string[] {
  const own = (kb.factsByEntry.get(e.id) ?? []).filter((f) => f.type === 'choice').flatMap((f) => f.versus);
  const others = kb.facts.filter((f) => f.type === 'choice' && f.entry !== e.id && f.versus.includes(e.id)).map((f) => f.entry);
  return [...new Set([...own, ...others, ...e.related])].filter((id) => id !== e.id && kb.byId.get(id)?.kind === 'service').slice(0, maxCompared);
}

/** The value of a "Compare with…" option: the entry and the other, which the listener reads back. */
export function compareValue(id: string, other: string): string {
  return `${id} ${other}`;
}

/** The two entry ids of a "Compare with…" option's value, or undefined when it is not one. */
export function parseCompareValue(value: string | undefined): [string, string] | undefined {
  const m = /^([a-z0-9][a-z0-9-]{0,63}) ([a-z0-9][a-z0-9-]{0,63})$/.exec(value ?? '');
  return m && m[1] !== m[2] ? [m[1]!, m[2]!] : undefined;
}

/**
 * The row of depth buttons on a service card (or on one of its views, without the view shown): Limits, How-to,
 * Pitfalls (each with how many it holds, only when it holds some) and the "Compare with…" select.
 */
export function depthRow(kb: Pick<KnowledgeBase, 'byId' | 'facts' | 'factsByEntry'>, e: Service, shown?: DepthView): Block[] {
  const elements: (Button | Select)[] = [];
  for (const view of depthViews) {
    if (view === shown || !hasDepth(kb, e, view)) continue;
    const n = depthFacts(kb, e.id, view).length + (view === 'pitfalls' ? e.senior_focus.length : 0);
    elements.push(button(`${depthLabels[view]} (${n})`, depthActionIds[view], e.id));
  }
  const compared = comparedWith(kb, e);
  if (compared.length) {
    elements.push(
      select(
        'Compare with…',
        ids.compareWith,
        compared.map((id) => ({ text: kb.byId.get(id)?.name ?? id, value: compareValue(e.id, id) })),
      ),
    );
  }
  return actions(elements, 'depth');
}

/** One fact as a depth view lists it: its answer (an error's code first), where it was checked and when. */
function factSection(f: Fact): Block {
  const code = f.type === 'error' && f.errors[0] ? `\`${esc(f.errors[0])}\` ` : '';
  const raise = f.type === 'limit' && f.adjustable !== undefined ? (f.adjustable ? ' · can be raised' : ' · fixed') : '';
  return section(`${code}${esc(f.answer)}\n_<${f.source}|AWS documentation>, checked ${f.checked}${raise}_`);
}

/** A view of a service: its heading, then its facts (for pitfalls, what a senior engineer watches first). */
export function depthBlocks(kb: Pick<KnowledgeBase, 'factsByEntry'>, e: Service, view: DepthView): Block[] {
  const facts = depthFacts(kb, e.id, view);
  const blocks: Block[] = [header(`${e.name}: ${depthLabels[view].toLowerCase()}`)];
  if (view === 'pitfalls' && e.senior_focus.length) blocks.push(section(`*What a senior engineer watches*\n${bullets(e.senior_focus.map(esc))}`));
  if (!facts.length && blocks.length === 1)
    blocks.push(section(`I don't have ${depthLabels[view].toLowerCase()} for *${esc(e.name)}* yet. Its <${e.docs}|documentation> will.`));
  blocks.push(...facts.slice(0, maxDepthFacts).map(factSection));
  if (facts.length > maxDepthFacts)
    blocks.push(context(`…and ${facts.length - maxDepthFacts} more: see the <${e.docs}|${esc(e.name)} documentation>.`));
  return blocks;
}

/** The fallback text of a view (notifications, screen readers). */
export function depthText(kb: Pick<KnowledgeBase, 'factsByEntry'>, e: Service, view: DepthView): string {
  const facts = depthFacts(kb, e.id, view);
  return esc(`${e.name}, ${depthLabels[view].toLowerCase()}: ${facts.length ? facts.map((f) => f.answer).join(' ') : e.senior_focus.join(' ')}`);
}
