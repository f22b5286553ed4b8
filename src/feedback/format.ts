/** The summary, written out: plain text for `npm run report`, Block Kit for `/aws stats`. Pure. */
import { bullets, context, divider, escapeMrkdwn as esc, fit, header, quoteUser, section, truncate, type Block } from '../render/blocks.js';
import type { Message } from '../render/index.js';
import type { Rate, Summary } from './summary.js';

/** An answer's label: entry names (a comparison as "A vs B"). */
export type NameOf = (id: string) => string;

const percent = (r: Rate): string => (r.rate === undefined ? '—' : `${Math.round(r.rate * 100)}% (${r.answered}/${r.asked})`);
const answerName = (ids: string[], name: NameOf): string => ids.map(name).join(' vs ');
const surfaceLabel = (s: string): string => ({ slash: '/aws', mention: '@mention', dm: 'DM', all: 'all surfaces' })[s] ?? s;

export interface FormatContext {
  name: NameOf;
  retentionDays: number;
  /** The most records kept (the newest are). */
  maxRecords: number;
  /** FEEDBACK=off: said at the top, since nothing new is recorded. */
  enabled: boolean;
}

export function formatText(s: Summary, ctx: FormatContext): string {
  const out: string[] = [];
  out.push(`AWS Guide feedback report, ${s.generatedAt.slice(0, 16).replace('T', ' ')} UTC`);
  out.push(
    `Records kept ${ctx.retentionDays} days (newest ${ctx.maxRecords.toLocaleString('en-US')}). ${s.totals.up} 👍, ${s.totals.down} 👎 (${s.totals.reasons} with a reason), ${s.totals.unanswered} unanswered, ${s.totals.requests} topic requests.`,
  );
  if (!ctx.enabled) out.push('Feedback is turned off (FEEDBACK=off): nothing new is being recorded.');

  out.push('', 'Answer rate by surface');
  if (!s.rates.length) out.push('  No questions in the last 30 days.');
  else {
    const w = Math.max(14, ...s.rates.map((r) => surfaceLabel(r.surface).length + 2));
    out.push(`  ${'surface'.padEnd(w)}${'last 7 days'.padEnd(20)}last 30 days`);
    for (const r of s.rates) out.push(`  ${surfaceLabel(r.surface).padEnd(w)}${percent(r.last7).padEnd(20)}${percent(r.last30)}`);
  }

  out.push('', 'Most frequent unanswered questions');
  if (!s.unanswered.length) out.push('  None recorded.');
  for (const g of s.unanswered) {
    const req = g.requests ? `, ${g.requests} request${g.requests === 1 ? '' : 's'}` : '';
    out.push(`  ${String(g.count).padStart(4)}×  “${oneLine(g.query, 100)}”${req}`);
    if (g.variants.length)
      out.push(
        `         also: ${g.variants
          .slice(0, 4)
          .map((v) => `“${oneLine(v, 60)}”`)
          .join(', ')}${g.variants.length > 4 ? ` and ${g.variants.length - 4} more` : ''}`,
      );
  }

  out.push('', 'Answers with the most 👎');
  if (!s.downvoted.length) out.push('  None.');
  for (const v of s.downvoted) {
    out.push(`  ${String(v.down).padStart(4)} 👎 ${String(v.up).padStart(3)} 👍  ${answerName(v.ids, ctx.name)} (${v.ids.join(', ')})`);
    for (const r of v.reasons)
      out.push(`         – ${oneLine(r.reason, 200)}  [${r.query ? `asked: “${oneLine(r.query, 60)}”` : 'a card opened by a button'}]`);
  }
  return out.join('\n') + '\n';
}

/** `/aws stats`: the same summary as a card (sent ephemeral). */
export function statsMessage(s: Summary, ctx: FormatContext): Message {
  const blocks: Block[] = [header('AWS Guide: feedback')];
  blocks.push(
    context(
      `Last ${ctx.retentionDays} days: ${s.totals.up} 👍 · ${s.totals.down} 👎 (${s.totals.reasons} with a reason) · ${s.totals.unanswered} unanswered · ${s.totals.requests} topic requests`,
    ),
  );
  if (!ctx.enabled) blocks.push(context('Feedback is turned off (`FEEDBACK=off`): nothing new is being recorded.'));

  blocks.push(divider());
  blocks.push(
    section(
      s.rates.length
        ? `*Answer rate by surface* (last 7 days · last 30 days)\n${bullets(s.rates.map((r) => `${esc(surfaceLabel(r.surface))}: ${percent(r.last7)} · ${percent(r.last30)}`))}`
        : '*Answer rate by surface*\nNo questions in the last 30 days.',
    ),
  );

  blocks.push(
    section(
      s.unanswered.length
        ? `*Most frequent unanswered questions*\n${bullets(
            s.unanswered.map((g) => {
              const req = g.requests ? ` · ${g.requests} request${g.requests === 1 ? '' : 's'}` : '';
              const also = g.variants.length
                ? ` _(also: ${g.variants
                    .slice(0, 2)
                    .map((v) => `“${quoteUser(v, 40)}”`)
                    .join(', ')}${g.variants.length > 2 ? '…' : ''})_`
                : '';
              return `*${g.count}×* “${quoteUser(g.query, 80)}”${req}${also}`;
            }),
          )}`
        : '*Most frequent unanswered questions*\nNone recorded.',
    ),
  );

  blocks.push(
    section(
      s.downvoted.length
        ? `*Answers with the most 👎*\n${bullets(
            s.downvoted.map((v) => {
              const reasons = v.reasons
                .slice(0, 3)
                .map((r) => `\n      – ${quoteUser(r.reason, 120)}`)
                .join('');
              return `*${v.down}* 👎 · ${v.up} 👍  ${esc(answerName(v.ids, ctx.name))}${reasons}`;
            }),
          )}`
        : '*Answers with the most 👎*\nNone.',
    ),
  );
  blocks.push(context('The full list: `npm run report` where the bot runs.'));
  const text = `AWS Guide feedback: ${s.totals.up} up, ${s.totals.down} down, ${s.totals.unanswered} unanswered questions.`;
  return { text: truncate(text, 3000), blocks: fit(blocks) };
}

/** `/aws stats` for someone not in ADMIN_USERS. */
export function statsRefusal(): Message {
  const t = 'Sorry, `/aws stats` is only for the maintainers of the AWS Guide. Ask one of them if you would like to see it.';
  return { text: t.replace(/`/g, ''), blocks: [section(t)] };
}

function oneLine(text: string, max: number): string {
  return truncate(text.replace(/\s+/g, ' ').trim(), max);
}
