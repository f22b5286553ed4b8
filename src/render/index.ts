/**
 * Answer → message: `{text, blocks}`, pure (no client, no clock), escaped, within Block Kit limits. These are the
 * exact blocks the bot sends; the console and `ask` print them.
 */
import type { types } from '@slack/bolt';
import type { Answer } from '../answer/index.js';
import type { KnowledgeBase } from '../knowledge/load.js';
import type { Category, Entry, Fact, GuideSection, Item, Pattern, Practice, Service, Tip, UnlistedService } from '../knowledge/schema.js';
import { actions as ids, openEntryActionId } from '../ids.js';
import {
  actions,
  bullets,
  button,
  context,
  divider,
  escapeMrkdwn as esc,
  feedbackButtons,
  fields,
  fit,
  header,
  limits,
  linkButton,
  quoteUser,
  section,
  truncate,
  type Block,
  type Button,
} from './blocks.js';
import { depthBlocks, depthRow, depthText, type DepthView } from './depth.js';
import { feedbackAsButtons, voteValue } from './feedback.js';
import { reviewMessage, type Review } from './review.js';

export interface Message {
  text: string;
  blocks: Block[];
}

/** What a reply may carry besides the answer, decided by the surface that sends it. */
export interface RenderOptions {
  /** A "Share in channel" button (ephemeral slash-command replies). */
  share?: boolean;
  /** 👍/👎 buttons on answers and "Suggest this topic" on no-answer replies. */
  feedback?: boolean;
  /** The user who shared the card to the channel (a Slack user id), shown at its foot. */
  sharedBy?: string;
  /** "Back to the overview" of this entry (an id): on a depth view or a comparison drawn in place of its card. */
  back?: string;
}

/** The renderer, closed over the knowledge base so links can show names. */
export function createRenderer(kb: KnowledgeBase) {
  const cards = new Map<string, Block[]>();
  const title = (id: string): string => kb.byId.get(id)?.name ?? id;
  const openButton = (id: string, label = title(id)): Button => button(label, openEntryActionId(id), id);
  const openButtons = (list: string[], exclude: string[] = []): Block[] =>
    actions([...new Set(list)].filter((id) => kb.byId.has(id) && !exclude.includes(id)).map((id) => openButton(id)));

  const itemLine = (i: Item): string => {
    const head = i.title ? `*${esc(i.title)}* — ` : '';
    const link = i.url ? ` <${i.url}|${esc(i.url.replace(/^https:\/\//, ''))}>` : '';
    return `${head}${esc(i.text)}${link}`;
  };

  function service(e: Service): Block[] {
    const blocks: Block[] = [header(e.name), section(`*${esc(e.full_name)}*\n${esc(e.purpose)}`)];
    const columns: string[] = [];
    if (e.use_cases.length) columns.push(`*Use cases*\n${bullets(e.use_cases.map(esc))}`);
    if (e.key_features.length) columns.push(`*Key features*\n${bullets(e.key_features.map(esc))}`);
    if (columns.length) blocks.push(fields(columns));
    for (const d of e.details) blocks.push(section(`*${esc(d.label)}*\n${esc(d.items.join(' · '))}`));
    if (e.senior_focus.length) blocks.push(section(`*What a senior engineer watches*\n${bullets(e.senior_focus.map(esc))}`));
    const asked = mostAsked(e.id);
    if (asked.length) blocks.push(section(`*Often asked*\n${bullets(asked.map((f) => `${esc(f.answer)} <${f.source}|source>`))}`));
    blocks.push(...depthRow(kb, e));
    const similar = [
      ...(e.equivalents?.azure?.length ? [`Azure: ${e.equivalents.azure.join(', ')}`] : []),
      ...(e.equivalents?.gcp?.length ? [`Google Cloud: ${e.equivalents.gcp.join(', ')}`] : []),
    ];
    if (similar.length) blocks.push(context(`*Similar to:* ${esc(similar.join(' · '))}`));
    const related = e.related.filter((id) => kb.byId.has(id));
    if (related.length) blocks.push(section('*Related*'));
    blocks.push(...actions([...related.map((id) => openButton(id)), linkButton('AWS documentation ↗', ids.docsLink, e.docs)]));
    blocks.push(context(sourceLine(e)));
    return blocks;
  }

  function sourceLine(e: Service): string {
    const where = `Category: ${e.categories.map(title).join(', ')}`;
    return e.source === 'guide'
      ? `From the AWS guide for senior developers · ${esc(where)}`
      : `Beyond the guide: written from public AWS documentation · ${esc(where)}`;
  }

  function category(e: Category): Block[] {
    const lines = e.services.map((id) => {
      const s = kb.byId.get(id);
      return s?.kind === 'service' ? `• *${esc(s.name)}* — ${esc(s.purpose)}` : `• ${esc(title(id))}`;
    });
    return [header(e.name), section(esc(e.summary)), section(lines.join('\n')), ...openButtons(e.services), ...relatedBlocks(e, e.services)];
  }

  function practice(e: Practice | GuideSection): Block[] {
    const blocks: Block[] = [header(e.name), section(esc(e.summary))];
    const groups = new Map<string, Item[]>();
    for (const i of e.items) {
      const g = i.group ?? '';
      groups.set(g, [...(groups.get(g) ?? []), i]);
    }
    for (const [g, items] of groups) {
      const body = bullets(items.map(itemLine));
      blocks.push(section(g ? `*${esc(g)}*\n${body}` : body));
    }
    const linked = e.items.flatMap((i) => i.related);
    blocks.push(...openButtons([...linked, ...e.see_also].slice(0, limits.actionsElements)));
    return blocks;
  }

  function pattern(e: Pattern): Block[] {
    const blocks: Block[] = [header(e.name), section(esc(e.summary)), section('```' + esc(e.diagram.join('\n')) + '```')];
    if (e.steps.length) blocks.push(section(e.steps.map((s, n) => `${n + 1}. ${itemLine(s)}`).join('\n')));
    blocks.push(...openButtons(e.services), ...relatedBlocks(e, e.services));
    return blocks;
  }

  function relatedBlocks(e: Entry, shown: string[]): Block[] {
    const rest = (e.kind === 'service' ? [] : e.see_also).filter((id) => !shown.includes(id) && kb.byId.has(id));
    return rest.length ? [context('*See also*'), ...openButtons(rest)] : [];
  }

  /**
   * The facts a service card shows under its summary: the first of its facts file (the most asked come first),
   * leaving out errors, which only a paste asks for.
   */
  function mostAsked(id: string): Fact[] {
    return (kb.factsByEntry.get(id) ?? []).filter((f) => f.type !== 'error').slice(0, maxCardFacts);
  }

  /** A fact as a reply leads with it: the answer, then where it was checked and when. */
  function factBlocks(f: Fact): Block[] {
    return [section(esc(f.answer)), context(`<${f.source}|AWS documentation> · checked ${f.checked}`)];
  }

  /** One compact line for the entry a fact belongs to, with the button that opens its full card. */
  function entryLine(e: Entry): Block {
    return section(`*${esc(e.name)}* · ${esc(purposeOf(e))}`, button('Open the card', openEntryActionId(e.id), e.id));
  }

  /** The blocks of one entry's card, whatever its kind. */
  function entryBlocks(e: Entry): Block[] {
    // A card depends on its entry alone, so each is built once; blocks are never changed after they are built
    // (frozen, so a caller that tries fails loudly), and replies add their own buttons around them.
    let blocks = cards.get(e.id);
    if (!blocks) cards.set(e.id, (blocks = deepFreeze(buildEntryBlocks(e))));
    return blocks;
  }

  function buildEntryBlocks(e: Entry): Block[] {
    switch (e.kind) {
      case 'service':
        return service(e);
      case 'category':
        return category(e);
      case 'pattern':
        return pattern(e);
      case 'practice':
      case 'guide':
        return practice(e);
    }
  }

  function compare(a: Entry, b: Entry): Block[] {
    const col = (e: Entry, pick: (s: Service) => string[]): string => (e.kind === 'service' ? bullets(pick(e).map(esc)) || '—' : '—');
    const blocks: Block[] = [
      header(`${a.name} vs ${b.name}`),
      fields([`*${esc(a.name)}*\n${esc(purposeOf(a))}`, `*${esc(b.name)}*\n${esc(purposeOf(b))}`]),
    ];
    const rows: [string, (s: Service) => string[]][] = [
      ['Use cases', (s) => s.use_cases],
      ['Key features', (s) => s.key_features],
      ['Senior-dev focus', (s) => s.senior_focus],
    ];
    for (const [label, pick] of rows) {
      if (col(a, pick) === '—' && col(b, pick) === '—') continue;
      blocks.push(divider(), section(`*${label}*`), fields([col(a, pick), col(b, pick)]));
    }
    blocks.push(divider(), ...actions([openButton(a.id, `Open ${a.name}`), openButton(b.id, `Open ${b.name}`)]));
    return blocks;
  }

  function withExtras(blocks: Block[], answer: Answer, opts: RenderOptions): Block[] {
    const extra: Button[] = [];
    if (opts.back && kb.byId.has(opts.back)) extra.push(button('Back to the overview', ids.overview, opts.back));
    // Share asks again what the card answers: the question, or, for a card opened by a button, its entries' names.
    const asked = answer.query.trim() || answer.results.map((r) => r.entry.name).join(' vs ');
    if (opts.share) extra.push(button('Share in channel', ids.share, truncate(asked, 1900), 'primary'));
    if (opts.feedback && answer.kind === 'none' && answer.query.trim())
      extra.push(button('Suggest this topic', ids.suggestTopic, truncate(answer.query, 1900)));
    const out = [...blocks, ...(extra.length ? actions(extra, 'reply_actions') : [])];
    // Slack's own 👍/👎, last: each voter's click is theirs alone, the message stays as it is for everyone else.
    if (opts.feedback && answer.results.length)
      out.push(
        feedbackBlock(
          answer.query,
          answer.results.map((r) => r.entry.id),
        ),
      );
    if (opts.sharedBy && /^[UW][A-Z0-9]+$/.test(opts.sharedBy)) out.push(context(`Shared by <@${opts.sharedBy}> with \`/aws\``));
    return out;
  }

  /**
   * A service's depth (its limits, how-tos or pitfalls) for an answer that shows the service, with the other views'
   * buttons and "Compare with…" below; any other answer is drawn as it would be.
   */
  function depth(a: Answer, view: DepthView, opts: RenderOptions = {}): Message {
    const e = a.kind === 'entry' ? a.results[0].entry : undefined;
    if (e?.kind !== 'service') return answer(a, opts);
    return message(depthText(kb, e, view), withExtras([...depthBlocks(kb, e, view), ...depthRow(kb, e, view)], a, opts));
  }

  /** The reply to an answer. */
  function answer(a: Answer, opts: RenderOptions = {}): Message {
    switch (a.kind) {
      case 'entry': {
        const e = a.results[0].entry;
        if (a.facts.length) {
          const lead = a.facts.flatMap(factBlocks);
          return message(
            esc(`${a.facts.map((f) => f.answer).join(' ')} (${e.name}; source: ${a.facts[0]!.source})`),
            withExtras([...lead, divider(), entryLine(e)], a, opts),
          );
        }
        const before: Block[] = [];
        if (a.counterpartOf) before.push(context(`_${esc(a.counterpartOf)}_ is another cloud's service. Its AWS counterpart is *${esc(e.name)}*:`));
        if (a.missing)
          before.push(
            section(
              `:mag: I don't have that detail for *${esc(e.name)}*. ${e.kind === 'service' ? `Its <${e.docs}|documentation> will; here is what I know about it.` : ''}`,
            ),
          );
        return message(
          esc(`${before.length && a.missing ? `No detail on that for ${e.name}. ` : ''}${e.name}: ${fallbackOf(e)}`),
          withExtras([...before, ...entryBlocks(e)], a, opts),
        );
      }
      case 'compare': {
        const [x, y] = [a.results[0].entry, a.results[1].entry];
        const lead = a.facts.length ? [...a.facts.flatMap(factBlocks), divider()] : [];
        return message(
          esc(`${x.name} vs ${y.name}: ${a.facts.length ? a.facts.map((f) => f.answer).join(' ') : `${purposeOf(x)} / ${purposeOf(y)}`}`),
          withExtras([...lead, ...compare(x, y)], a, opts),
        );
      }
      case 'help':
        return help();
      case 'none':
        return none(a, opts);
    }
  }

  function none(a: Answer, opts: RenderOptions): Message {
    if (a.kind === 'none' && a.unlisted) return unlisted(a.unlisted, a, opts);
    const q = a.query.trim();
    const said = q ? `I don't have a confident answer for “${quoteUser(q)}”.` : 'Ask me about an AWS service, a practice or a pattern.';
    const blocks: Block[] = [section(`:thinking_face: ${said}`)];
    if (a.suggestions.length) blocks.push(section('*Did you mean…*'), ...openButtons(a.suggestions.map((s) => s.id)));
    blocks.push(
      context('Try a service name (`sqs`), a question (`how do I decouple microservices?`), a comparison (`ecs vs eks`) or a topic (`databases`).'),
    );
    blocks.push(...actions([button('How to ask', ids.help, 'help')]));
    // The fallback text is mrkdwn too (notifications, screen readers): the user's words are escaped there as well.
    const text = q ? `No confident answer for “${quoteUser(q)}”.` : 'Ask me about an AWS service.';
    return message(
      a.suggestions.length ? `${text} Did you mean: ${esc(a.suggestions.map((s) => s.name).join(', '))}?` : text,
      withExtras(blocks, a, opts),
    );
  }

  /** An AWS service the knowledge has no entry for: said plainly, with its documentation. */
  function unlisted(u: UnlistedService, a: Answer, opts: RenderOptions): Message {
    const blocks: Block[] = [
      section(`:books: ${esc(u.name)} isn't in my knowledge yet, so I won't guess about it. Its documentation: <${u.docs}|${esc(u.name)} docs>`),
      context('Ask me about another AWS service, or `/aws help` for how to ask.'),
    ];
    return message(`${esc(u.name)} isn't in my knowledge yet. Its documentation: ${u.docs}`, withExtras(blocks, a, opts));
  }

  /** The help card: how to ask, with examples, and the categories to browse. */
  function help(): Message {
    const categories = kb.entries.filter((e): e is Category => e.kind === 'category');
    const blocks: Block[] = [
      header('AWS Guide: how to ask'),
      section(
        'I answer AWS questions from a curated guide, right where you ask.\n' +
          bullets([
            '`/aws sqs`: a service card (names, acronyms and typos work: `ddb`, `k8s`, `lamda`)',
            '`/aws how do I decouple microservices?`: a question in your own words',
            '`/aws ecs vs eks`: two services side by side',
            '`/aws databases`, `/aws security best practices`, `/aws serverless api`: topics, practices, patterns',
            '`/aws tip`: a best-practice tip now',
            'Mention me in a channel (the answer comes in the thread), or send me a DM.',
          ]),
      ),
      section('*Browse by category*'),
      ...actions(categories.map((c) => openButton(c.id))),
    ];
    return message('How to ask the AWS Guide: /aws <service or question>, e.g. /aws sqs, /aws ecs vs eks, /aws databases.', blocks);
  }

  /** A tip card, linking to the entry it comes from. */
  function tip(t: Tip, heading = 'Tip of the day'): Message {
    const source = kb.byId.get(t.entry);
    const blocks: Block[] = [section(`:bulb: *${esc(heading)}*\n${esc(t.text)}`)];
    if (source) blocks.push(...actions([openButton(source.id, `More: ${source.name}`)]));
    return message(esc(`${heading}: ${t.text}`), blocks);
  }

  /** The App Home tab: what the bot does, how to ask, the categories to browse, and today's tip. */
  /**
   * The App Home tab. `followUps`, for the people who may change it (ADMIN_USERS): whether follow-ups without a
   * mention are on in the workspace, with the button that turns them off or on.
   */
  function home(today: Tip | undefined, opts: { followUps?: boolean } = {}): types.HomeView {
    const categories = kb.entries.filter((e): e is Category => e.kind === 'category');
    const services = kb.entries.filter((e) => e.kind === 'service').length;
    const blocks: Block[] = [
      header('AWS Guide'),
      section(
        `I answer AWS questions for your team from a curated guide of ${services} services, with practices, patterns and tips: ` +
          'what a service is for, its use cases and key features, what a senior engineer watches out for, and where its documentation is.',
      ),
      divider(),
      section(
        '*How to ask*\n' +
          bullets([
            '`/aws sqs` anywhere: a card only you see, with a button to share it',
            '`@AWS Guide how do I cache DB queries?` in a channel: the answer in the thread',
            'A direct message to me: the answer right here in Messages',
            'Comparisons (`ecs vs eks`), topics (`databases`), practices (`security best practices`), patterns (`serverless api`)',
            '`/aws tips on` in a channel: a best-practice tip there on a schedule (`/aws tips` says when)',
            'In a thread where I have answered, ask a follow-up without mentioning me (`/aws follow-ups off` stops that in a channel)',
          ]),
      ),
      ...(opts.followUps === undefined
        ? []
        : [
            divider(),
            section(
              opts.followUps
                ? '*Follow-ups without a mention: on.* In the threads I answered in, questions get an answer without an @mention, in every channel that has not turned them off. Other messages are never read.'
                : '*Follow-ups without a mention: off* in every channel: only @mentions, DMs and `/aws` get answers.',
              button(opts.followUps ? 'Turn off' : 'Turn on', ids.followUpsEverywhere, opts.followUps ? 'off' : 'on'),
            ),
          ]),
      divider(),
      section('*Browse by category*'),
      ...actions(categories.map((c) => openButton(c.id))),
    ];
    if (today) {
      blocks.push(divider(), ...tip(today, "Today's tip").blocks);
    }
    return { type: 'home', blocks: fit(blocks, limits.homeBlocks) };
  }

  /** A card as a modal (for buttons pressed in the App Home tab, which has no thread to reply in). */
  function modal(m: Message): types.ModalView {
    return {
      type: 'modal',
      title: { type: 'plain_text', text: 'AWS Guide' },
      close: { type: 'plain_text', text: 'Close' },
      // Slack's feedback buttons are made for messages: a card in a modal carries 👍/👎 as plain buttons.
      blocks: fit(feedbackAsButtons(m.blocks), limits.homeBlocks),
    };
  }

  /** A short notice (settings confirmed, a refusal): one section, the same text as fallback. */
  function notice(mrkdwn: string): Message {
    return message(mrkdwn.replace(/`/g, ''), [section(mrkdwn)]);
  }

  /** A private review of a thread's AWS services (the "Review AWS usage" shortcut), or that thread's shared copy. */
  function review(r: Review): Message {
    return reviewMessage(kb, r);
  }

  return { answer, depth, help, tip, entryBlocks, home, modal, notice, review };
}

export type Renderer = ReturnType<typeof createRenderer>;

/** The short apology a surface sends when something failed: never silence. */
export function renderError(): Message {
  return message('Sorry, something went wrong while answering. Please try again in a moment.', [
    section(':warning: Sorry, something went wrong while answering. Please try again in a moment.'),
  ]);
}

/** The 👍/👎 of an answer: Slack's feedback buttons, each carrying the vote, the question and the entries shown. */
function feedbackBlock(query: string, entryIds: string[]): Block {
  const q = truncate(query, 500);
  return feedbackButtons(
    ids.feedback,
    { value: voteValue('up', q, entryIds), label: 'This answer helped' },
    { value: voteValue('down', q, entryIds), label: 'This answer did not help' },
    'feedback',
  );
}

/** Facts shown under a service's card. */
const maxCardFacts = 3;

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

function message(text: string, blocks: Block[]): Message {
  return { text: truncate(text, limits.fallbackText), blocks: fit(blocks) };
}

function purposeOf(e: Entry): string {
  return e.kind === 'service' ? e.purpose : e.summary;
}

function fallbackOf(e: Entry): string {
  return e.kind === 'service' ? `${e.purpose}. ${e.docs}` : e.summary;
}
