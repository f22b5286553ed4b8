/**
 * "Review AWS usage" on a thread, as Block Kit: for each AWS service the thread mentions, what a senior engineer
 * would check (its senior-dev focus, its top limits and its top pitfalls), compact, with a button to its card; and
 * "Post in thread" on the private copy. Pure, like the rest of `render/`.
 */
import { actions as ids, openEntryActionId } from '../ids.js';
import type { KnowledgeBase } from '../knowledge/load.js';
import type { Fact, Service } from '../knowledge/schema.js';
import { actions, button, context, escapeMrkdwn as esc, fit as withinLimits, limits, section, truncate, type Block } from './blocks.js';
import type { Message } from './index.js';

export interface Review {
  /** The services the thread mentions (entry ids), in the order first mentioned. */
  ids: string[];
  /** Only the message itself could be read, not its thread (the bot is not in the channel). */
  partial?: boolean;
  /** Where "Post in thread" posts the review; absent on the copy posted there. */
  post?: { channel: string; threadTs: string };
  /** Who posted it in the thread (a Slack user id), shown at its foot. */
  sharedBy?: string;
}

/** Services a review covers at most; the rest are named at its foot. */
export const maxReviewed = 8;
/** Per service: senior-dev focus points, limits and pitfalls shown. */
const perService = { focus: 2, limits: 3, pitfalls: 2 } as const;
/** A fact longer than this is shown by its first sentence (cut if that is still longer). */
const factChars = 240;

/** The value of "Post in thread": where, and what. */
export function postReviewValue(channel: string, threadTs: string, serviceIds: string[]): string {
  return JSON.stringify({ c: channel, t: threadTs, ids: serviceIds });
}

/** A "Post in thread" value read back, when it has the shape the bot wrote. */
export function parsePostReviewValue(value: string | undefined): { channel: string; threadTs: string; ids: string[] } | undefined {
  if (typeof value !== 'string' || value.length > limits.buttonValue) return undefined;
  try {
    const v = JSON.parse(value) as { c?: unknown; t?: unknown; ids?: unknown };
    if (typeof v.c !== 'string' || !/^[CGD][A-Z0-9]{2,30}$/.test(v.c)) return undefined;
    if (typeof v.t !== 'string' || !/^\d{1,12}\.\d{1,8}$/.test(v.t)) return undefined;
    if (
      !Array.isArray(v.ids) ||
      v.ids.length > maxReviewed ||
      !v.ids.every((x): x is string => typeof x === 'string' && /^[a-z0-9][a-z0-9-]{0,63}$/.test(x))
    )
      return undefined;
    return { channel: v.c, threadTs: v.t, ids: v.ids };
  } catch {
    return undefined;
  }
}

/** A fact as the checklist shows it: whole when short, else its first sentence. */
function short(f: Fact): string {
  if (f.answer.length <= factChars) return f.answer;
  const first = /^.+?[.!?](?=\s+[A-Z(`"])/.exec(f.answer)?.[0] ?? f.answer;
  return truncate(first, factChars);
}

function serviceSection(kb: Pick<KnowledgeBase, 'factsByEntry'>, s: Service): Block {
  const facts = kb.factsByEntry.get(s.id) ?? [];
  const limitFacts = facts.filter((f) => f.type === 'limit').slice(0, perService.limits);
  const pitfalls = facts.filter((f) => f.type === 'error' || f.type === 'behaviour').slice(0, perService.pitfalls);
  const lines: string[] = [`*${esc(s.name)}*`];
  for (const p of s.senior_focus.slice(0, perService.focus)) lines.push(`:eyes: ${esc(p)}`);
  for (const f of limitFacts) lines.push(`:straight_ruler: ${esc(short(f))}`);
  for (const f of pitfalls) lines.push(`:warning: ${f.type === 'error' && f.errors[0] ? `\`${esc(f.errors[0])}\` ` : ''}${esc(short(f))}`);
  return section(lines.join('\n'), button('Open the card', openEntryActionId(s.id), s.id));
}

export function reviewMessage(kb: Pick<KnowledgeBase, 'byId' | 'factsByEntry'>, r: Review): Message {
  const services = r.ids.map((id) => kb.byId.get(id)).filter((e): e is Service => e?.kind === 'service');
  const partial = r.partial
    ? [context('I could read only this message, not its whole thread: invite me to the channel (`/invite @AWS Guide`) to review the thread.')]
    : [];
  const foot = r.sharedBy && /^[UW][A-Z0-9]+$/.test(r.sharedBy) ? [context(`Shared by <@${r.sharedBy}> with *Review AWS usage*`)] : [];
  if (!services.length) {
    const text = 'No AWS service mentioned here.';
    return { text, blocks: withinLimits([section(`:mag: ${text}`), ...partial]) };
  }
  const shown = services.slice(0, maxReviewed);
  const names = shown.map((s) => s.name).join(', ');
  const blocks: Block[] = [
    section(`:clipboard: *What to check for the AWS services this thread mentions* (${shown.length}): ${esc(names)}`),
    ...shown.map((s) => serviceSection(kb, s)),
  ];
  const rest = services.slice(maxReviewed);
  if (rest.length) blocks.push(context(`Also mentioned: ${esc(rest.map((s) => s.name).join(', '))}. Ask \`/aws <service>\` for their cards.`));
  blocks.push(
    context(
      ':eyes: what a senior engineer watches · :straight_ruler: limits · :warning: pitfalls. Each card has its limits, how-tos and pitfalls in full, with their sources.',
    ),
  );
  blocks.push(...partial);
  if (r.post)
    blocks.push(
      ...actions(
        [
          button(
            'Post in thread',
            ids.postReview,
            postReviewValue(
              r.post.channel,
              r.post.threadTs,
              shown.map((s) => s.id),
            ),
            'primary',
          ),
        ],
        'review_actions',
      ),
    );
  blocks.push(...foot);
  return {
    text: truncate(esc(`AWS review of this thread: ${names}. Limits and pitfalls to check.`), limits.fallbackText),
    blocks: withinLimits(blocks),
  };
}
