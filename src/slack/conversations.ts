/**
 * What the bot remembers of its conversations, in the state store (so every replica knows it), bounded and
 * expiring: the threads it answered in and each one's subject (the entry of its last answer there), for 7 days
 * after its last answer; a DM's last subject, for 10 minutes; and where follow-ups without a mention are off (a
 * channel, by `/aws follow-ups off`; or everywhere, from App Home). Nothing a person wrote is kept here: a subject
 * is an entry id, a topic the id of the fact the last answer led with.
 */
import type { Answer, AskContext } from '../answer/index.js';
import type { StateStore } from '../state/store.js';

/** How long a thread the bot answered in stays one (follow-ups answered, its subject kept) after its last answer. */
export const threadTtlMs = 7 * 24 * 60 * 60 * 1000;
/** How long a DM's last subject holds: "and the max size?" a few minutes later is still about it. */
export const dmSubjectTtlMs = 10 * 60 * 1000;

/** A thread the bot answered in. */
export interface BotThread {
  /** The entry of the bot's last answer there that had one. */
  subject: string | undefined;
  /** The fact that answer led with, if it led with one. */
  topic?: string;
}

export interface ConversationOptions {
  store: StateStore;
  /** The clock the expiries are read with (tests inject one); the store drops what expired by its own. */
  now?: () => number;
  threadTtlMs?: number;
  dmSubjectTtlMs?: number;
}

/** What a reply is about, for the next question in its conversation: the first entry it shows, if any. */
export function subjectOf(answer: Answer): string | undefined {
  return answer.kind === 'entry' || answer.kind === 'compare' ? answer.results[0].entry.id : undefined;
}

/** What the next question in a reply's conversation is read with: its subject, and the fact it led with. */
export function contextOf(answer: Answer): AskContext {
  const subject = subjectOf(answer);
  const topic = subject ? answer.facts[0]?.id : undefined;
  return { subject, ...(topic ? { topic } : {}) };
}

interface Kept {
  /** The subject (an entry id), if the answers there had one. */
  s?: string;
  /** The topic (a fact id) of the answer that set the subject, if it led with a fact. */
  f?: string;
  /** When the bot last answered there (ms, the clock of `now`). */
  at: number;
}

const threadKey = (channel: string, ts: string): string => `convo:thread:${channel}:${ts}`;
const dmKey = (channel: string): string => `convo:dm:${channel}`;
const channelOffKey = (channel: string): string => `followups:off:${channel}`;
const everywhereKey = 'followups:everywhere';

function parse(raw: string | undefined): Kept | undefined {
  if (raw === undefined) return undefined;
  try {
    const v = JSON.parse(raw) as Partial<Kept> | null;
    if (!v || typeof v.at !== 'number') return undefined;
    return { at: v.at, ...(typeof v.s === 'string' ? { s: v.s } : {}), ...(typeof v.f === 'string' ? { f: v.f } : {}) };
  } catch {
    return undefined;
  }
}

export class Conversations {
  private readonly store: StateStore;
  private readonly now: () => number;
  private readonly threadTtl: number;
  private readonly dmTtl: number;

  constructor(opts: ConversationOptions) {
    this.store = opts.store;
    this.now = opts.now ?? Date.now;
    this.threadTtl = opts.threadTtlMs ?? threadTtlMs;
    this.dmTtl = opts.dmSubjectTtlMs ?? dmSubjectTtlMs;
  }

  private async read(key: string, ttl: number): Promise<Kept | undefined> {
    const kept = parse(await this.store.get(key));
    return kept && this.now() - kept.at < ttl ? kept : undefined;
  }

  /** The thread, if the bot answered in it within the last 7 days; undefined for every other thread. */
  async thread(channel: string, threadTs: string): Promise<BotThread | undefined> {
    const kept = await this.read(threadKey(channel, threadTs), this.threadTtl);
    return kept ? { subject: kept.s, ...(kept.f ? { topic: kept.f } : {}) } : undefined;
  }

  /**
   * The bot answered in this thread: it is one of its threads for 7 more days. An answer with an entry sets the
   * subject (and its topic, the fact it led with); one without keeps both.
   */
  async answeredInThread(channel: string, threadTs: string, subject: string | undefined, topic?: string): Promise<void> {
    const key = threadKey(channel, threadTs);
    const kept = subject ? { s: subject, ...(topic ? { f: topic } : {}) } : await this.read(key, this.threadTtl);
    const { s, f } = kept ?? {};
    await this.store.setExpiring(key, JSON.stringify({ ...(s ? { s } : {}), ...(f ? { f } : {}), at: this.now() } satisfies Kept), this.threadTtl);
  }

  /** The subject of the DM's last answer, if it came within the last 10 minutes. */
  async dmSubject(channel: string): Promise<string | undefined> {
    return (await this.dmContext(channel)).subject;
  }

  /** The subject and topic of the DM's last answer, if it came within the last 10 minutes. */
  async dmContext(channel: string): Promise<AskContext> {
    const kept = await this.read(dmKey(channel), this.dmTtl);
    return { subject: kept?.s, ...(kept?.f ? { topic: kept.f } : {}) };
  }

  /** The bot answered in this DM: its entry is the subject for 10 minutes (an answer without one changes nothing). */
  async answeredInDm(channel: string, subject: string | undefined, topic?: string): Promise<void> {
    if (!subject) return;
    await this.store.setExpiring(
      dmKey(channel),
      JSON.stringify({ s: subject, ...(topic ? { f: topic } : {}), at: this.now() } satisfies Kept),
      this.dmTtl,
    );
  }

  /** Whether follow-ups without a mention are answered in this channel: on unless turned off there or everywhere. */
  async followUpsOn(channel: string): Promise<boolean> {
    const [here, everywhere] = await Promise.all([this.store.get(channelOffKey(channel)), this.store.get(everywhereKey)]);
    return here === undefined && everywhere !== 'off';
  }

  /** Whether follow-ups are turned on in this channel itself (`/aws follow-ups on|off`). */
  async channelFollowUps(channel: string): Promise<boolean> {
    return (await this.store.get(channelOffKey(channel))) === undefined;
  }

  async setChannelFollowUps(channel: string, on: boolean): Promise<void> {
    if (on) await this.store.delete(channelOffKey(channel));
    else await this.store.set(channelOffKey(channel), 'off');
  }

  /** Whether follow-ups are on in the workspace (App Home): when off, no channel gets them, whatever its own setting. */
  async everywhereFollowUps(): Promise<boolean> {
    return (await this.store.get(everywhereKey)) !== 'off';
  }

  async setEverywhereFollowUps(on: boolean): Promise<void> {
    await this.store.set(everywhereKey, on ? 'on' : 'off');
  }
}
