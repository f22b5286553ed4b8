/**
 * manifest.yml against the code, so the two cannot drift: the slash command, the bot events (each with a
 * listener), the scopes, Socket Mode, interactivity, App Home; and every action_id the renderers put on a button
 * has a registered action handler.
 *
 * What is registered is read from the real composition: `registerListeners`, which startSlack calls on the real
 * App, is called here on a recording stand-in, so the listeners counted are exactly the ones the running app gets.
 */
import { readFileSync } from 'node:fs';
import type { App } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { Answer } from '../../src/answer/index.js';
import { renderError, type Message } from '../../src/render/index.js';
import * as ids from '../../src/ids.js';
import { registerListeners } from '../../src/slack/listeners/index.js';
import { getCore, testDeps } from '../support/deps.js';

type Matcher = string | RegExp | Record<string, unknown>;

const registered = {
  commands: [] as unknown[],
  events: [] as unknown[],
  actions: [] as unknown[],
  views: [] as unknown[],
  shortcuts: [] as unknown[],
  /** Assistants registered (Bolt's `app.assistant`): each takes the assistant pane's events. */
  assistants: 0,
  other: [] as string[],
};

/** A stand-in App that records what is registered on it. */
const recorder = {
  command: (m: unknown) => void registered.commands.push(m),
  event: (m: unknown) => void registered.events.push(m),
  action: (m: unknown) => void registered.actions.push(m),
  view: (m: unknown) => void registered.views.push(m),
  message: () => void registered.other.push('message'),
  shortcut: (m: unknown) => void registered.shortcuts.push(m),
  assistant: () => void (registered.assistants += 1),
  options: () => void registered.other.push('options'),
};

const manifest = parse(readFileSync(new URL('../../manifest.yml', import.meta.url), 'utf8'));
const core = getCore();
registerListeners(recorder as unknown as App, testDeps().deps);

function matches(m: unknown, id: string): boolean {
  if (typeof m === 'string') return m === id;
  if (m instanceof RegExp) return m.test(id);
  if (m && typeof m === 'object') {
    const c = m as { action_id?: Matcher; type?: string };
    if (c.type !== undefined && c.type !== 'block_actions') return false;
    return c.action_id === undefined || matches(c.action_id, id);
  }
  return false;
}

/** action_ids of interactive elements (buttons, selects, …) outside input blocks: the ones Slack sends actions for. */
function actionIds(blocks: unknown[] | undefined): string[] {
  const out: string[] = [];
  for (const b of (blocks ?? []) as any[]) {
    if (b.type === 'input' && !b.dispatch_action) continue;
    const els = [
      ...(b.type === 'actions' || b.type === 'context_actions' ? b.elements : []),
      ...(b.accessory ? [b.accessory] : []),
      ...(b.type === 'input' ? [b.element] : []),
    ];
    for (const el of els) if (el?.action_id) out.push(el.action_id as string);
  }
  return out;
}

/** Every message the renderers can produce, with the given options on answers and cards. */
function everyMessage(opts: { share?: boolean; feedback?: boolean; sharedBy?: string }): { what: string; blocks: unknown[] }[] {
  const { render, kb } = core;
  const out: { what: string; blocks: unknown[] }[] = [];
  const add = (what: string, m: Message | { blocks?: unknown[] } | undefined): void => {
    if (!m) throw new Error(`nothing rendered for ${what}`);
    out.push({ what, blocks: m.blocks ?? [] });
  };
  for (const e of kb.entries) {
    const card = render.answer(core.answer.show([e.id])!, opts);
    add(`entry ${e.id}`, card);
    add(`entry ${e.id} as a modal`, render.modal(card as Message));
  }
  const [a, b] = kb.entries.filter((e) => e.kind === 'service');
  const compare: Answer = {
    kind: 'compare',
    query: `${a!.id} vs ${b!.id}`,
    results: [
      { entry: a!, score: 1 },
      { entry: b!, score: 1 },
    ],
    suggestions: [],
    facts: [],
  };
  add('a comparison', render.answer(compare, opts));
  const none: Answer = { kind: 'none', query: 'something the guide does not cover', results: [], suggestions: kb.entries.slice(0, 3), facts: [] };
  add('a no-answer reply', render.answer(none, opts));
  add('a no-answer reply without suggestions', render.answer({ ...none, suggestions: [] }, opts));
  add('the help card', render.help());
  add('the help card as a modal', render.modal(render.help()));
  add('the home tab with a tip', render.home(kb.tips[0]));
  add('the home tab without a tip', render.home(undefined));
  for (const t of kb.tips) add(`tip ${t.id}`, render.tip(t));
  add('the error reply', renderError());
  return out;
}

describe('manifest.yml', () => {
  it('is a manifest for this app: name, description, bot user', () => {
    expect(manifest._metadata.major_version).toBe(1);
    expect(manifest.display_information.name).toBeTruthy();
    expect(String(manifest.display_information.description).length).toBeLessThanOrEqual(140);
    expect(manifest.features.bot_user.display_name).toBeTruthy();
  });

  it('the slash command is the one the code registers, with a usage hint and a description', () => {
    const commands = manifest.features.slash_commands as { command: string; description?: string; usage_hint?: string }[];
    expect(commands.map((c) => c.command)).toEqual([ids.slashCommand]);
    expect(commands[0]!.description).toBeTruthy();
    expect(commands[0]!.usage_hint).toBeTruthy();
    expect(registered.commands).toEqual([ids.slashCommand]);
  });

  it('bot events are the ones the code names, and each has a registered listener', () => {
    const botEvents = manifest.settings.event_subscriptions.bot_events as string[];
    expect([...botEvents].sort()).toEqual([...ids.botEvents].sort());
    // `message.im` is delivered as a `message` event (channel_type im).
    const eventTypes = new Set(botEvents.map((e) => e.split('.')[0]));
    // The assistant pane's events are taken by the Assistant, not by a listener of their own.
    const assistant = new Set<string>(ids.assistantEvents);
    for (const t of eventTypes) if (!assistant.has(t ?? '')) expect(registered.events, `a listener for ${t}`).toContain(t);
    for (const t of assistant) expect(eventTypes.has(t), `subscribed to ${t}`).toBe(true);
    expect(registered.assistants).toBe(1);
    // … and nothing is listened to that the manifest does not subscribe to (it would never arrive).
    for (const e of registered.events) expect(eventTypes.has(String(e)), `subscribed to ${String(e)}`).toBe(true);
    expect([...registered.events].sort()).toEqual([...new Set(Object.values(ids.events))].sort());
    expect(registered.other).toEqual([]);
  });

  it('the message shortcut is the one the code registers: "Review AWS usage", a message shortcut, described', () => {
    const shortcuts = manifest.features.shortcuts as { name: string; type: string; callback_id: string; description: string }[];
    expect(shortcuts.map((x) => x.callback_id).sort()).toEqual(Object.values(ids.shortcuts).sort());
    expect(shortcuts.find((x) => x.callback_id === ids.shortcuts.reviewThread)).toMatchObject({ name: 'Review AWS usage', type: 'message' });
    expect(registered.shortcuts).toEqual([{ callback_id: ids.shortcuts.reviewThread, type: 'message_action' }]);
    // Shortcuts need the `commands` scope; reading the thread, the history scopes of its channels.
    for (const scope of ['commands', 'channels:history', 'groups:history']) expect(manifest.oauth_config.scopes.bot).toContain(scope);
  });

  it('the assistant pane is on, with the scope and events it needs, and a description', () => {
    expect(String(manifest.features.assistant_view.assistant_description).length).toBeGreaterThan(0);
    expect(manifest.oauth_config.scopes.bot).toContain('assistant:write');
    for (const e of ids.assistantEvents) expect(manifest.settings.event_subscriptions.bot_events).toContain(e);
    // Its questions come as direct messages in the pane's thread.
    expect(manifest.settings.event_subscriptions.bot_events).toContain('message.im');
  });

  it('scopes are the ones the code names, and cover what it does', () => {
    const scopes = manifest.oauth_config.scopes.bot as string[];
    expect([...scopes].sort()).toEqual([...ids.botScopes].sort());
    expect(new Set(scopes).size).toBe(scopes.length);
    // Follow-ups in threads read the messages of the channels the bot is in (public and private).
    const needs = ['commands', 'chat:write', 'app_mentions:read', 'im:history', 'channels:history', 'groups:history'];
    for (const n of needs) expect(scopes).toContain(n);
    expect(manifest.oauth_config.scopes.user).toBeUndefined();
  });

  it('follow-ups: the channel message events come with their history scopes', () => {
    const botEvents = manifest.settings.event_subscriptions.bot_events as string[];
    const scopes = manifest.oauth_config.scopes.bot as string[];
    const needs: Record<string, string> = { 'message.im': 'im:history', 'message.channels': 'channels:history', 'message.groups': 'groups:history' };
    for (const [event, scope] of Object.entries(needs)) {
      expect(botEvents, event).toContain(event);
      expect(scopes, scope).toContain(scope);
    }
  });

  it('Socket Mode, interactivity and App Home (home tab, messages tab writable) are on', () => {
    expect(manifest.settings.socket_mode_enabled).toBe(true);
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    // Socket Mode apps take no request URLs.
    expect(manifest.settings.interactivity.request_url).toBeUndefined();
    expect(manifest.settings.event_subscriptions.request_url).toBeUndefined();
    expect(manifest.features.app_home.home_tab_enabled).toBe(true);
    expect(manifest.features.app_home.messages_tab_enabled).toBe(true);
    expect(manifest.features.app_home.messages_tab_read_only_enabled).toBe(false);
  });
});

describe('every action_id on a rendered button has a registered handler', () => {
  const check = (opts: { share?: boolean; feedback?: boolean; sharedBy?: string }): void => {
    const missing = new Set<string>();
    let seen = 0;
    for (const m of everyMessage(opts)) {
      for (const id of actionIds(m.blocks)) {
        seen += 1;
        if (!registered.actions.some((r) => matches(r, id))) missing.add(`${id} (in ${m.what})`);
      }
    }
    expect(seen).toBeGreaterThan(100);
    expect([...missing].slice(0, 10)).toEqual([]);
  };

  it('plain cards and the ones shared in a channel', () => {
    check({});
    check({ sharedBy: 'U00000001' });
  });

  it('ephemeral slash-command cards ("Share in channel")', () => {
    check({ share: true });
  });

  it('cards with feedback buttons (👍/👎, "Suggest this topic")', () => {
    check({ share: true, feedback: true });
  });

  it('every action id the code names is handled, and every handler is for one of them', () => {
    for (const id of Object.values(ids.actions)) {
      const probe = id === ids.actions.openEntry ? ids.openEntryActionId('sqs') : id;
      expect(
        registered.actions.some((r) => matches(r, probe)),
        id,
      ).toBe(true);
    }
    const known = Object.values(ids.actions).map((id) => (id === ids.actions.openEntry ? ids.openEntryActionId('sqs') : id));
    for (const r of registered.actions)
      expect(
        known.some((id) => matches(r, id)),
        String(r),
      ).toBe(true);
  });

  it('every modal the code names has a registered submission handler', () => {
    for (const id of Object.values(ids.views)) expect(registered.views, id).toContain(id);
  });
});
