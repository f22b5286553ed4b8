/**
 * Small builders for the arguments Bolt hands a listener, as Slack's samples test their listeners: the payload
 * fields the bot reads (shapes from ../shared/slack/PROTOCOL.md and bolt-js's types), an `ack`, a `respond` and a
 * `client` that record what the listener sent, and can be told to fail.
 */
import type { App } from '@slack/bolt';

/** One Web API call or response_url post a listener made. */
export interface Sent {
  via: string;
  args: Record<string, any>;
}

export interface Recorder {
  sent: Sent[];
  acks: unknown[];
  /** Methods (`chat.postMessage`, `respond`, `ack`) that throw the next time they are called. */
  failNext: Set<string>;
  /** What a method answers (`conversations.replies` → its messages), instead of `{ok: true}`. */
  answers: Map<string, Record<string, any>>;
}

export function recorder(): Recorder {
  return { sent: [], acks: [], failNext: new Set(), answers: new Map() };
}

function call(r: Recorder, via: string, args: Record<string, any>): Promise<Record<string, any>> {
  if (r.failNext.delete(via)) return Promise.reject(new Error(`${via} failed (test)`));
  r.sent.push({ via, args });
  return Promise.resolve({ ok: true, ...r.answers.get(via) });
}

/** A Web API client whose every method (`client.chat.postMessage(…)`, `client.views.open(…)`) is recorded. */
export function fakeClient(r: Recorder): any {
  const at = (path: string[]): any =>
    new Proxy(() => undefined, {
      get: (_t, p) => (p === 'then' ? undefined : at([...path, String(p)])),
      apply: (_t, _this, argv) => call(r, path.join('.'), (argv[0] ?? {}) as Record<string, any>),
    });
  return at([]);
}

const common = (r: Recorder) => ({
  client: fakeClient(r),
  logger: console,
  context: { botUserId: 'UBOT00001' },
  next: async () => undefined,
  ack: async (msg?: unknown) => {
    if (r.failNext.delete('ack')) throw new Error('ack failed (test)');
    r.acks.push(msg ?? {});
  },
  respond: (msg: Record<string, any>) => call(r, 'respond', msg),
  say: (msg: Record<string, any>) => call(r, 'say', msg),
});

export function slashArgs(r: Recorder, o: { text: string; channel?: string; user?: string }): any {
  return {
    ...common(r),
    command: {
      command: '/aws',
      text: o.text,
      channel_id: o.channel ?? 'C0SLASH01',
      user_id: o.user ?? 'U0ASKER01',
      response_url: 'https://hooks.invalid/r',
      trigger_id: 't1',
    },
  };
}

export function mentionArgs(
  r: Recorder,
  o: { text: string; channel?: string; ts?: string; thread_ts?: string; user?: string; bot_id?: string },
): any {
  const event = {
    type: 'app_mention',
    user: o.user ?? 'U0ASKER01',
    text: o.text,
    ts: o.ts ?? '1700000000.000100',
    channel: o.channel ?? 'C0MENTION',
    event_ts: o.ts ?? '1700000000.000100',
    ...(o.thread_ts ? { thread_ts: o.thread_ts } : {}),
    ...(o.bot_id ? { bot_id: o.bot_id } : {}),
  };
  return { ...common(r), event, payload: event, body: { event, event_id: 'Ev0001' } };
}

export function dmArgs(r: Recorder, o: { text: string; user?: string; subtype?: string; channel_type?: string }): any {
  const event = {
    type: 'message',
    channel: 'D0DIRECT1',
    channel_type: o.channel_type ?? 'im',
    user: o.user ?? 'U0ASKER01',
    text: o.text,
    ts: '1700000000.000200',
    ...(o.subtype ? { subtype: o.subtype } : {}),
  };
  return { ...common(r), event, payload: event, message: event, body: { event, event_id: 'Ev0002' } };
}

/** A person's message in a channel (`message.channels`), in a thread when `thread_ts` is given. */
export function channelMessageArgs(
  r: Recorder,
  o: { text: string; channel?: string; ts?: string; thread_ts?: string; user?: string; subtype?: string; bot_id?: string; channel_type?: string },
): any {
  const ts = o.ts ?? '1700000000.000400';
  const event = {
    type: 'message',
    channel: o.channel ?? 'C0THREADS',
    channel_type: o.channel_type ?? 'channel',
    user: o.user ?? 'U0ASKER01',
    text: o.text,
    ts,
    event_ts: ts,
    ...(o.thread_ts ? { thread_ts: o.thread_ts } : {}),
    ...(o.subtype ? { subtype: o.subtype } : {}),
    ...(o.bot_id ? { bot_id: o.bot_id } : {}),
  };
  return { ...common(r), event, payload: event, message: event, body: { event, event_id: 'Ev0003' } };
}

export function buttonArgs(
  r: Recorder,
  o: {
    actionId: string;
    value?: string;
    container?: Record<string, unknown>;
    channel?: string;
    message?: Record<string, unknown>;
    view?: Record<string, unknown>;
    user?: string;
  },
): any {
  const action = { type: 'button', action_id: o.actionId, block_id: 'b1', text: { type: 'plain_text', text: 'x' }, value: o.value, action_ts: '1' };
  const body = {
    type: 'block_actions',
    user: { id: o.user ?? 'U0CLICKER', username: 'clicker', team_id: 'T1' },
    team: { id: 'T1' },
    ...(o.channel ? { channel: { id: o.channel, name: 'c' } } : {}),
    container: o.container ?? { type: 'message', is_ephemeral: true, channel_id: o.channel ?? 'C0SLASH01', message_ts: '1700000000.000300' },
    ...(o.message ? { message: o.message } : {}),
    ...(o.view ? { view: o.view } : {}),
    response_url: 'https://hooks.invalid/r',
    trigger_id: 't2',
    actions: [action],
  };
  return { ...common(r), action, body, payload: action };
}

export function viewArgs(r: Recorder, o: { callbackId: string; privateMetadata: string; values?: Record<string, any> }): any {
  const view = { id: 'V1', type: 'modal', callback_id: o.callbackId, private_metadata: o.privateMetadata, state: { values: o.values ?? {} } };
  return { ...common(r), view, body: { type: 'view_submission', user: { id: 'U0VOTER01' }, view }, payload: view };
}

/** An App stand-in that keeps each registered listener, so a test can run it as Bolt would. */
export function listenerApp(): {
  app: App;
  command(name: string): any;
  event(name: string): any;
  action(id: string): any;
  view(id: string): any;
  shortcut(callbackId: string): any;
  /** The middleware of the registered Assistant (Bolt's `app.assistant`), to run with `assistantArgs`. */
  assistant(): (args: any) => Promise<void>;
} {
  const held: { kind: string; matcher: unknown; fn: any }[] = [];
  const keep =
    (kind: string) =>
    (matcher: unknown, ...fns: any[]) =>
      void held.push({ kind, matcher, fn: fns[fns.length - 1] });
  const matches = (m: unknown, id: string): boolean =>
    m instanceof RegExp ? m.test(id) : m && typeof m === 'object' ? (m as { callback_id?: unknown }).callback_id === id : m === id;
  const find = (kind: string, id: string): any => {
    const h = held.find((x) => x.kind === kind && matches(x.matcher, id));
    if (!h) throw new Error(`no ${kind} listener for ${id}`);
    return h.fn;
  };
  const app = {
    command: keep('command'),
    event: keep('event'),
    action: keep('action'),
    view: keep('view'),
    shortcut: keep('shortcut'),
    assistant: (a: { getMiddleware(): unknown }) => void held.push({ kind: 'assistant', matcher: undefined, fn: a.getMiddleware() }),
  } as unknown as App;
  return {
    app,
    command: (n) => find('command', n),
    event: (n) => find('event', n),
    action: (id) => find('action', id),
    view: (id) => find('view', id),
    shortcut: (id) => find('shortcut', id),
    assistant: () => {
      const h = held.find((x) => x.kind === 'assistant');
      if (!h) throw new Error('no Assistant registered');
      return h.fn;
    },
  };
}

/** A message shortcut on a message (Bolt's `shortcut` arguments), with a response_url. */
export function shortcutArgs(r: Recorder, o: { callbackId: string; channel?: string; user?: string; message: Record<string, unknown> }): any {
  const shortcut = {
    type: 'message_action',
    callback_id: o.callbackId,
    trigger_id: 't3',
    message_ts: o.message.ts,
    response_url: 'https://hooks.invalid/r',
    message: { type: 'message', ...o.message },
    user: { id: o.user ?? 'U0ASKER01', name: 'asker' },
    channel: { id: o.channel ?? 'C0REVIEW1', name: 'c' },
    team: { id: 'T1', domain: 't' },
    token: 'x',
    action_ts: '1',
  };
  return { ...common(r), context: { botUserId: 'UBOT00001', botId: 'BBOT00001' }, shortcut, body: shortcut, payload: shortcut };
}

/**
 * The arguments Bolt hands global middleware for an event (the Assistant is one): `next` records that the event went
 * on to the listeners.
 */
export function eventArgs(r: Recorder, event: Record<string, unknown>): any & { passedOn: () => boolean } {
  let passed = false;
  const c = common(r);
  return {
    ...c,
    event,
    payload: event,
    message: event.type === 'message' ? event : undefined,
    body: { type: 'event_callback', event, event_id: 'Ev0003' },
    next: async () => void (passed = true),
    passedOn: () => passed,
  };
}
