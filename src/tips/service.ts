/**
 * The daily tip: which channels get it (TIP_CHANNEL, always; channels that said `/aws tips on`), which tip each
 * gets next (its own place in the rotation, kept in the state store), and posting each slot's tip once per
 * channel, however often the slot fires (a restart, several replicas). Also the tip on demand and today's tip.
 */
import type { KnowledgeBase } from '../knowledge/load.js';
import type { Tip } from '../knowledge/schema.js';
import type { Logger } from '../logger.js';
import type { Message, Renderer } from '../render/index.js';
import type { StateStore } from '../state/store.js';
import { freshRotation, nextTip, tipOfDay, type ChannelRotation } from './rotation.js';
import { isUtc, type Schedule } from './schedule.js';

export interface TipServiceOptions {
  kb: KnowledgeBase;
  render: Renderer;
  store: StateStore;
  log: Logger;
  schedule: Schedule;
  /** Channels from TIP_CHANNEL: always on. */
  configuredChannels: string[];
  /** Posts a message to a channel (chat.postMessage); throws on failure. */
  post: (channel: string, message: Message) => Promise<void>;
  now?: () => number;
  random?: () => number;
}

/** What the Slack surfaces need of the tips. */
export interface TipSource {
  /** A tip to show now (`/aws tip`), without moving any channel's rotation. */
  onDemand(): Tip | undefined;
  /** Today's tip, for the App Home tab. */
  today(): Tip | undefined;
  /** `/aws tips on|off` and `/aws tips` in a channel: the reply that confirms it. */
  command(action: 'on' | 'off' | 'status', channel: string, user: string): Promise<Message>;
}

export const keys = {
  seed: 'tips:seed',
  channels: 'tips:channels',
  rotation: (channel: string) => `tips:rotation:${channel}`,
  slot: (channel: string, slot: Date) => `tips:slot:${channel}:${slot.toISOString()}`,
};

/** How long a posted slot is remembered: long enough for any restart or replica to see it. */
const slotClaimMs = 24 * 60 * 60 * 1000;

export class TipService implements TipSource {
  private seed = '';
  private readonly byId: Map<string, Tip>;
  private readonly ids: string[];
  private readonly now: () => number;
  private readonly random: () => number;

  constructor(private readonly o: TipServiceOptions) {
    this.byId = new Map(o.kb.tips.map((t) => [t.id, t]));
    this.ids = o.kb.tips.map((t) => t.id);
    this.now = o.now ?? Date.now;
    this.random = o.random ?? Math.random;
  }

  /** Loads this installation's shuffle seed, creating it on the first start. */
  async init(): Promise<void> {
    const stored = await this.o.store.get(keys.seed);
    if (stored) this.seed = stored;
    else {
      this.seed = Math.floor(this.random() * 2 ** 32)
        .toString(16)
        .padStart(8, '0');
      await this.o.store.set(keys.seed, this.seed);
    }
  }

  onDemand(): Tip | undefined {
    return this.o.kb.tips[Math.floor(this.random() * this.o.kb.tips.length)];
  }

  today(): Tip | undefined {
    const id = tipOfDay(this.ids, this.seed || 'unseeded', dayNumber(this.now(), this.o.schedule.timezone));
    return id ? this.byId.get(id) : undefined;
  }

  /** Every channel that gets tips: the configured ones and those that opted in. */
  async channels(): Promise<string[]> {
    const opted = await this.o.store.setMembers(keys.channels);
    return [...new Set([...this.o.configuredChannels, ...opted])].sort();
  }

  /** One slot: each tip channel gets its next tip, once, whatever fails elsewhere. */
  async fire(slot: Date): Promise<{ posted: string[]; failed: string[]; skipped: string[] }> {
    const result = { posted: [] as string[], failed: [] as string[], skipped: [] as string[] };
    const channels = await this.channels();
    for (const channel of channels) {
      try {
        if (!(await this.o.store.claim(keys.slot(channel, slot), slotClaimMs))) {
          result.skipped.push(channel);
          continue;
        }
        const key = keys.rotation(channel);
        const state = parseRotation(await this.o.store.get(key));
        const next = nextTip(this.ids, this.seed, state);
        if (!next) continue;
        const tip = this.byId.get(next.id)!;
        await this.o.post(channel, this.o.render.tip(tip));
        await this.o.store.set(key, JSON.stringify(next.state));
        result.posted.push(channel);
        this.o.log.info({ channel, tip: tip.id, slot: slot.toISOString() }, 'tip posted');
      } catch (err) {
        result.failed.push(channel);
        this.o.log.error({ err, channel, slot: slot.toISOString() }, 'tip not posted to this channel');
      }
    }
    return result;
  }

  /** `/aws tips on|off` and `/aws tips` in a channel. */
  async command(action: 'on' | 'off' | 'status', channel: string): Promise<Message> {
    const configured = this.o.configuredChannels.includes(channel);
    const when = this.describeSchedule();
    if (action === 'on') {
      if (!configured) await this.o.store.setAdd(keys.channels, channel);
      return this.o.render.notice(`:bulb: This channel will get a best-practice tip ${when}. \`/aws tips off\` stops them.`);
    }
    if (action === 'off') {
      if (configured)
        return this.o.render.notice(
          "This channel gets tips because the bot's configuration names it (TIP_CHANNEL); ask whoever runs the bot to remove it there.",
        );
      await this.o.store.setRemove(keys.channels, channel);
      return this.o.render.notice('No more tips in this channel. `/aws tips on` brings them back.');
    }
    const on = configured || (await this.o.store.setMembers(keys.channels)).includes(channel);
    return this.o.render.notice(
      on
        ? `:bulb: This channel gets a best-practice tip ${when}.${configured ? '' : ' `/aws tips off` stops them.'}`
        : `This channel gets no daily tip. \`/aws tips on\` adds it: a tip ${when}.`,
    );
  }

  private describeSchedule(): string {
    const { pattern, timezone } = this.o.schedule;
    const next = this.o.schedule.next(new Date(this.now()));
    const at = next
      ? new Intl.DateTimeFormat('en-GB', {
          timeZone: timezone,
          weekday: 'short',
          day: 'numeric',
          month: 'short',
          hour: '2-digit',
          minute: '2-digit',
          timeZoneName: 'short',
        }).format(next)
      : 'never';
    return `on the schedule \`${pattern}\` (${timezone}); the next one ${at}`;
  }
}

function parseRotation(text: string | undefined): ChannelRotation {
  if (!text) return freshRotation();
  try {
    const v = JSON.parse(text) as ChannelRotation;
    if (typeof v.cycle === 'number' && Array.isArray(v.posted)) return { cycle: v.cycle, posted: v.posted.map(String) };
  } catch {
    // a damaged rotation starts over; the channel still gets tips
  }
  return freshRotation();
}

/** Days since 1970-01-01 in a time zone: the same number all day long there. */
export function dayNumber(ms: number, timezone: string): number {
  if (isUtc(timezone)) return Math.floor(ms / 86_400_000);
  const [y, m, d] = new Intl.DateTimeFormat('en-CA', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit' })
    .format(new Date(ms))
    .split('-')
    .map(Number);
  return Math.floor(Date.UTC(y!, m! - 1, d!) / 86_400_000);
}
