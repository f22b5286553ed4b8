/**
 * A fake Slack for end-to-end tests: runs the real Bolt app (Socket Mode) against it on 127.0.0.1.
 *
 * It speaks the real protocols, as described in /work/shared/slack/PROTOCOL.md:
 * - Web API at /api/<method>: POST, form-encoded (JSON and multipart bodies also accepted),
 *   `Authorization: Bearer <token>`. Errors are HTTP 200 {ok:false,error}; rate limits are HTTP 429 +
 *   Retry-After + {ok:false,error:'ratelimited'} (only when injected with failNext).
 * - Socket Mode: apps.connections.open hands out a single-use ws:// URL (/link/?ticket=…); on connect the
 *   server sends `hello`; envelopes {envelope_id,type,payload,accepts_response_payload} are spread
 *   round-robin over open connections; acks {envelope_id,payload} resolve the sender's promise.
 * - response_url endpoints at /response/<id> (JSON POST, like Bolt's respond()).
 * - Block Kit limits are checked on every message and view (see checkBlockKitLimits).
 *
 * Usage:
 *   const fake = await startFakeSlack();
 *   const app = new App({ token: 'xoxb-test', appToken: 'xapp-test', socketMode: true,
 *                         clientOptions: { slackApiUrl: fake.apiUrl }, logLevel: LogLevel.ERROR });
 *   await app.start();
 *   const { ack } = await fake.slashCommand({ text: 'help' });
 *   ...
 *   await app.stop();   // stop the app FIRST, or its socket client keeps trying to reconnect
 *   await fake.close();
 */
import http from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { randomBytes, randomUUID } from 'node:crypto';
import { WebSocket, WebSocketServer } from 'ws';

// ---------------------------------------------------------------------------------------------------------------
// Public types
// ---------------------------------------------------------------------------------------------------------------

export interface FakeSlackOptions {
  /** The bot's user id, returned by auth.test. Default 'UBOT0001'. Must differ from test users. */
  botUserId?: string;
  /** Default 'BBOT0001'. */
  botId?: string;
  /** Default 'T00000001'. */
  teamId?: string;
  /** Default 'A00000001'. */
  appId?: string;
  /** Expected app-level token. Default: any token starting with 'xapp-'. */
  appToken?: string;
  /** Expected bot token. Default: any token starting with 'xoxb-'. */
  botToken?: string;
  /**
   * 'record' (default): violations are only recorded in `blockViolations`.
   * 'reject': also answer like Slack: chat.* -> {ok:false,error:'invalid_blocks',errors}, views.* ->
   * {ok:false,error:'invalid_arguments'}, response_url -> HTTP 400 'invalid_blocks'.
   */
  validateBlocks?: 'reject' | 'record';
  /** Default time to wait for an ack, ms. Default 3000 (Slack's window for commands and actions). */
  ackTimeoutMs?: number;
  /**
   * The HTTP server's keep-alive timeout, ms (sent as `Keep-Alive: timeout=…`). Default 1000. Below undici's
   * 2 s threshold (Node's fetch) every Web API call opens a connection of its own; the benchmark passes Node's
   * default, 5000, so the bot reuses connections as it does with Slack.
   */
  keepAliveMs?: number;
  /** How long a trigger_id is valid for views.open/views.push, ms. Default 3000 (as Slack). */
  triggerTtlMs?: number;
  /** Known users (for users.info and user names in payloads). Default: U00000001 'alice', U00000002 'bob'. */
  users?: Record<string, { name: string; real_name?: string; is_bot?: boolean; tz?: string; email?: string }>;
  /** Known channels (for conversations.info and channel names in payloads). Default: C00000001 'general'. */
  channels?: Record<string, { name: string; is_private?: boolean; member?: boolean }>;
  /** Log protocol traffic: true -> console.error, or a function. Also enabled by FAKE_SLACK_DEBUG=1. */
  log?: boolean | ((line: string) => void);
}

export interface ApiCall {
  method: string;
  /** Form-decoded arguments; JSON strings (blocks, attachments, view, …) parsed. */
  args: Record<string, any>;
  /** The token used (Bearer header, or `token` in the body); undefined when none. */
  token: string | undefined;
  /** Date.now() when the request arrived. */
  at: number;
  /** HTTP status the fake answered with (200, or 429 when rate limited; 0: the client went away during a delay). */
  status: number;
  /** The JSON body the fake answered with. */
  response: Record<string, any>;
}

export interface ResponseUrlPost {
  /** The id in /response/<id>. */
  id: string;
  url: string;
  /** The JSON body (parsed). */
  body: any;
  at: number;
  /** Where the response_url came from. */
  source: { kind: 'slash_command' | 'block_actions' | 'message_action'; channel?: string; user: string };
  /** HTTP status the fake answered with (200, or 400 when rejected for invalid blocks). */
  status: number;
}

export interface BlockViolation {
  /** e.g. 'chat.postMessage', 'views.open', 'response_url' */
  where: string;
  problems: string[];
}

export interface StoredMessage {
  channel: string;
  ts: string;
  thread_ts?: string;
  user?: string;
  bot_id?: string;
  text?: string;
  blocks?: any[];
  attachments?: any[];
  ephemeral: boolean;
  /** For ephemeral messages: who sees it. */
  visibleTo?: string;
  deleted: boolean;
  edited: boolean;
  /** ts of the last edit (chat.update or replace_original). */
  editedTs?: string;
  reactions: { name: string; users: string[] }[];
  via: string;
}

export interface StoredView {
  id: string;
  type: string;
  user?: string;
  view: Record<string, any>;
  via: string;
}

export interface EnvelopeRecord {
  envelope_id: string;
  type: string;
  payload: any;
  sentAt: number;
  /** The ack frame's payload, when acked. */
  ack?: any;
  ackedAt?: number;
  /** true when the ack came after the sender had given up. */
  late?: boolean;
}

export interface FakeSlack {
  /** 'http://127.0.0.1:<port>/api/' -> Bolt's clientOptions.slackApiUrl */
  readonly apiUrl: string;
  /** 'http://127.0.0.1:<port>' */
  readonly baseUrl: string;
  readonly calls: ApiCall[];
  readonly responses: ResponseUrlPost[];
  readonly blockViolations: BlockViolation[];
  /** Every envelope sent, with its ack. */
  readonly envelopes: EnvelopeRecord[];
  /** Messages as Slack would hold them (posted by the bot, by response_url, or sent as events). */
  readonly messages: StoredMessage[];
  /** Views opened/pushed/updated/published, by view id. */
  readonly views: Map<string, StoredView>;
  /** Open Socket Mode connections now. */
  readonly connections: number;
  /** Successful apps.connections.open calls so far. */
  readonly connectionsOpened: number;

  slashCommand(p: {
    text: string;
    user?: string;
    channel?: string;
    command?: string;
    timeoutMs?: number;
  }): Promise<{ ack: any; responseUrl: string; triggerId: string; envelopeId: string }>;
  event(
    event: Record<string, unknown>,
    opts?: { retryAttempt?: number; retryReason?: string; eventId?: string; timeoutMs?: number },
  ): Promise<{ eventId: string; envelopeId: string }>;
  blockAction(p: BlockActionParams): Promise<{ ack: any; responseUrl: string; triggerId: string; envelopeId: string }>;
  viewSubmission(p: {
    callbackId: string;
    values: Record<string, Record<string, any>>;
    privateMetadata?: string;
    user?: string;
    viewId?: string;
    timeoutMs?: number;
  }): Promise<any>;

  mention(p: { text: string; user?: string; channel?: string; threadTs?: string }): Promise<{
    ts: string;
    channel: string;
    eventId: string;
  }>;
  dm(p: { text: string; user?: string; subtype?: string; botId?: string; channel?: string; threadTs?: string }): Promise<{
    ts: string;
    channel: string;
    eventId: string;
  }>;
  /**
   * A person opens the bot in Slack's assistant pane: an `assistant_thread_started` event for a new thread in their
   * DM with the bot (`context` is the channel they were looking at). Questions in it are `dm({threadTs})`.
   */
  assistantThreadStarted(p?: { user?: string; context?: string }): Promise<{ channel: string; threadTs: string; eventId: string }>;
  /** A message shortcut used on a message (a `message_action` interactive payload); resolves with its ack. */
  messageAction(p: {
    callbackId: string;
    message: { ts: string; text?: string; user?: string; thread_ts?: string };
    channel?: string;
    user?: string;
    timeoutMs?: number;
  }): Promise<{ ack: any; responseUrl: string; envelopeId: string }>;
  /** What the bot set on each assistant thread (`assistant.threads.*`), by `<channel> <thread_ts>`. */
  readonly assistantThreads: Map<string, AssistantThread>;
  /**
   * A person's message in a channel, as `message.channels` (or, in a G… channel, `message.groups`) delivers it to
   * every app in the channel that subscribes: `{type:'message', channel_type:'channel'|'group', user, text, ts,
   * thread_ts?, parent_user_id?, …}` (@slack/types GenericMessageEvent). In a thread when `threadTs` is given.
   */
  channelMessage(p: { text: string; user?: string; channel?: string; threadTs?: string; subtype?: string }): Promise<{
    ts: string;
    channel: string;
    eventId: string;
  }>;

  waitFor(predicate: () => boolean, timeoutMs?: number, what?: string): Promise<void>;
  waitForCall(method: string, predicate?: (c: ApiCall) => boolean, timeoutMs?: number): Promise<ApiCall>;
  waitForResponse(predicate?: (r: ResponseUrlPost) => boolean, timeoutMs?: number): Promise<ResponseUrlPost>;

  failNext(method: string, answer: { error: string } | { status: 429; retryAfter: number }, times?: number): void;
  /**
   * Answers the next `times` calls of `method` (default: every one, until `delay(method, 0)`) `ms` late, like a slow
   * Slack. A call whose client goes away meanwhile (the bot was killed) is not carried out: it is recorded with
   * status 0 and {ok:false, error:'client_gone'}, and posts nothing.
   */
  delay(method: string, ms: number, times?: number): void;
  /** Calls that arrived and are waiting out a delay now. */
  readonly delayed: number;
  /**
   * A raw frame on the socket (a JSON value, or with `text` a string sent as is), for odd and hostile frames. With
   * an `envelope_id` it resolves with that envelope's ack payload (or fails after `timeoutMs`: never acked).
   */
  sendFrame(frame: unknown, opts?: { text?: boolean; timeoutMs?: number }): Promise<{ ack?: any }>;

  disconnectAll(reason?: 'refresh_requested' | 'warning' | 'link_disabled'): void;
  dropAll(): void;
  close(): Promise<void>;
}

export interface AssistantThread {
  title?: string;
  status?: string;
  prompts?: { title: string; message: string }[];
  promptsTitle?: string;
}

export interface BlockActionParams {
  actionId: string;
  /** Default: the element's value found in the message/view, if any. */
  value?: string;
  user?: string;
  /** Default: the channel of the message holding the action, else C00000001. */
  channel?: string;
  /** Overrides/extends the container. {type:'view', view_id} sends the action from a view (no response_url). */
  container?: {
    type?: 'message' | 'view';
    message_ts?: string;
    channel_id?: string;
    is_ephemeral?: boolean;
    view_id?: string;
  };
  /** Include a response_url (default true for message containers; never for views). */
  responseUrl?: boolean;
  /**
   * The message the button is in. Default: the newest stored message (bot message or response_url message)
   * that has an element with this action_id; else a synthetic bot message.
   */
  message?: any;
  triggerId?: string;
  /** Default: the element's block_id, else a random one. */
  blockId?: string;
  /** For select menus etc.: the action object fields to merge (e.g. {type:'static_select', selected_option}). */
  action?: Record<string, unknown>;
  /** state.values to send. */
  stateValues?: Record<string, Record<string, any>>;
  /** For Slack's feedback buttons (`feedback_buttons`): which of the two was clicked (default positive). */
  feedback?: 'positive' | 'negative';
  timeoutMs?: number;
}

// ---------------------------------------------------------------------------------------------------------------
// Block Kit limits
// ---------------------------------------------------------------------------------------------------------------

const KNOWN_BLOCK_TYPES = new Set([
  'section',
  'header',
  'context',
  'actions',
  'divider',
  'image',
  'input',
  'markdown',
  'rich_text',
  'video',
  'file',
  'context_actions',
  'table',
]);

interface CheckState {
  problems: string[];
  actionIds: Map<string, string>;
  blockIds: Map<string, string>;
}

function isObj(v: unknown): v is Record<string, any> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function problem(st: CheckState, path: string, msg: string): void {
  st.problems.push(`${msg} [json-pointer:${path}]`);
}

function checkLen(st: CheckState, value: unknown, path: string, max: number, what: string): void {
  if (typeof value === 'string' && value.length > max) {
    problem(st, path, `${what} must be at most ${max} characters (got ${value.length})`);
  }
}

/** A text composition object: {type: plain_text|mrkdwn, text: 1..max chars}. */
function checkText(st: CheckState, t: unknown, path: string, opts: { what: string; max: number; plainOnly?: boolean; required?: boolean }): void {
  if (t === undefined || t === null) {
    if (opts.required !== false) problem(st, path, `${opts.what} is required`);
    return;
  }
  if (!isObj(t)) {
    problem(st, path, `${opts.what} must be a text object ({type, text}), got ${typeof t}`);
    return;
  }
  if (opts.plainOnly) {
    if (t.type !== 'plain_text') problem(st, `${path}/type`, `${opts.what} must be of type plain_text (got ${JSON.stringify(t.type)})`);
  } else if (t.type !== 'plain_text' && t.type !== 'mrkdwn') {
    problem(st, `${path}/type`, `${opts.what} type must be plain_text or mrkdwn (got ${JSON.stringify(t.type)})`);
  }
  if (typeof t.text !== 'string') {
    problem(st, `${path}/text`, `${opts.what} text must be a string`);
    return;
  }
  if (t.text.length < 1) problem(st, `${path}/text`, `${opts.what} text must not be empty`);
  checkLen(st, t.text, `${path}/text`, opts.max, opts.what);
}

function checkActionId(st: CheckState, el: Record<string, any>, path: string): void {
  const id = el.action_id;
  if (id === undefined) return;
  if (typeof id !== 'string' || id.length === 0) {
    problem(st, `${path}/action_id`, 'action_id must be a non-empty string');
    return;
  }
  checkLen(st, id, `${path}/action_id`, 255, 'action_id');
  const prev = st.actionIds.get(id);
  if (prev !== undefined) {
    problem(st, `${path}/action_id`, `action_id ${JSON.stringify(id)} is not unique (also at ${prev})`);
  } else {
    st.actionIds.set(id, path);
  }
}

function checkOptions(st: CheckState, options: unknown, path: string, max: number, min = 1): void {
  if (options === undefined) return;
  if (!Array.isArray(options)) {
    problem(st, path, 'options must be an array');
    return;
  }
  if (options.length < min) problem(st, path, `must have at least ${min} options (got ${options.length})`);
  if (options.length > max) problem(st, path, `must have at most ${max} options (got ${options.length})`);
  options.forEach((o, i) => {
    const p = `${path}/${i}`;
    if (!isObj(o)) {
      problem(st, p, 'option must be an object');
      return;
    }
    checkText(st, o.text, `${p}/text`, { what: 'option text', max: 75 });
    if (typeof o.value !== 'string' || o.value.length === 0) problem(st, `${p}/value`, 'option value is required');
    checkLen(st, o.value, `${p}/value`, 150, 'option value');
    if (o.description !== undefined) checkText(st, o.description, `${p}/description`, { what: 'option description', max: 75 });
    checkLen(st, o.url, `${p}/url`, 3000, 'option url');
  });
}

function checkElement(st: CheckState, el: unknown, path: string): void {
  if (!isObj(el)) {
    problem(st, path, 'element must be an object');
    return;
  }
  if (typeof el.type !== 'string') {
    problem(st, `${path}/type`, 'element type is required');
    return;
  }
  checkActionId(st, el, path);
  if (el.placeholder !== undefined) checkText(st, el.placeholder, `${path}/placeholder`, { what: 'placeholder', max: 150, plainOnly: true });
  switch (el.type) {
    case 'button':
      checkText(st, el.text, `${path}/text`, { what: 'button text', max: 75, plainOnly: true });
      checkLen(st, el.value, `${path}/value`, 2000, 'button value');
      checkLen(st, el.url, `${path}/url`, 3000, 'button url');
      checkLen(st, el.accessibility_label, `${path}/accessibility_label`, 75, 'button accessibility_label');
      if (el.style !== undefined && el.style !== 'primary' && el.style !== 'danger') {
        problem(st, `${path}/style`, `button style must be primary or danger (got ${JSON.stringify(el.style)})`);
      }
      break;
    case 'static_select':
    case 'multi_static_select':
      if (el.options === undefined && el.option_groups === undefined) problem(st, path, `${el.type} needs options or option_groups`);
      checkOptions(st, el.options, `${path}/options`, 100);
      if (Array.isArray(el.option_groups)) {
        if (el.option_groups.length > 100)
          problem(st, `${path}/option_groups`, `must have at most 100 option groups (got ${el.option_groups.length})`);
        el.option_groups.forEach((g: any, i: number) => {
          checkText(st, g?.label, `${path}/option_groups/${i}/label`, { what: 'option group label', max: 75, plainOnly: true });
          checkOptions(st, g?.options, `${path}/option_groups/${i}/options`, 100);
        });
      }
      break;
    case 'overflow':
      checkOptions(st, el.options, `${path}/options`, 5, 1);
      if (el.options === undefined) problem(st, `${path}/options`, 'overflow needs options');
      break;
    case 'radio_buttons':
    case 'checkboxes':
      checkOptions(st, el.options, `${path}/options`, 10);
      if (el.options === undefined) problem(st, `${path}/options`, `${el.type} needs options`);
      break;
    case 'image':
      if (typeof el.image_url !== 'string' && el.slack_file === undefined) problem(st, `${path}/image_url`, 'image element needs image_url');
      checkLen(st, el.image_url, `${path}/image_url`, 3000, 'image_url');
      if (typeof el.alt_text !== 'string') problem(st, `${path}/alt_text`, 'image element needs alt_text');
      checkLen(st, el.alt_text, `${path}/alt_text`, 2000, 'alt_text');
      break;
    case 'plain_text_input':
      if (typeof el.max_length === 'number' && el.max_length > 3000) problem(st, `${path}/max_length`, 'max_length must be at most 3000');
      break;
    case 'feedback_buttons':
      // https://docs.slack.dev/reference/block-kit/block-elements/feedback-buttons-element
      for (const side of ['positive_button', 'negative_button'] as const) {
        const b = el[side];
        if (!isObj(b)) {
          problem(st, `${path}/${side}`, `feedback_buttons needs ${side}`);
          continue;
        }
        checkText(st, b.text, `${path}/${side}/text`, { what: 'feedback button text', max: 75, plainOnly: true });
        if (typeof b.value !== 'string' || b.value === '') problem(st, `${path}/${side}/value`, 'feedback button value is required');
        checkLen(st, b.value, `${path}/${side}/value`, 2000, 'feedback button value');
        checkLen(st, b.accessibility_label, `${path}/${side}/accessibility_label`, 75, 'feedback button accessibility_label');
      }
      break;
    case 'icon_button':
      if (typeof el.icon !== 'string' || el.icon === '') problem(st, `${path}/icon`, 'icon_button needs icon');
      checkText(st, el.text, `${path}/text`, { what: 'icon button text', max: 75, plainOnly: true });
      checkLen(st, el.value, `${path}/value`, 2000, 'icon button value');
      break;
    default:
      break;
  }
}

function checkBlock(st: CheckState, b: unknown, path: string): void {
  if (!isObj(b)) {
    problem(st, path, 'block must be an object');
    return;
  }
  if (typeof b.type !== 'string') {
    problem(st, `${path}/type`, 'block type is required');
    return;
  }
  if (!KNOWN_BLOCK_TYPES.has(b.type)) problem(st, `${path}/type`, `unknown block type ${JSON.stringify(b.type)}`);
  if (b.block_id !== undefined) {
    if (typeof b.block_id !== 'string' || b.block_id.length === 0) {
      problem(st, `${path}/block_id`, 'block_id must be a non-empty string');
    } else {
      checkLen(st, b.block_id, `${path}/block_id`, 255, 'block_id');
      const prev = st.blockIds.get(b.block_id);
      if (prev !== undefined) problem(st, `${path}/block_id`, `block_id ${JSON.stringify(b.block_id)} is not unique (also at ${prev})`);
      else st.blockIds.set(b.block_id, path);
    }
  }
  switch (b.type) {
    case 'section': {
      if (b.text === undefined && b.fields === undefined) problem(st, path, 'section needs text or fields');
      if (b.text !== undefined) checkText(st, b.text, `${path}/text`, { what: 'section text', max: 3000 });
      if (b.fields !== undefined) {
        if (!Array.isArray(b.fields)) {
          problem(st, `${path}/fields`, 'section fields must be an array');
        } else {
          if (b.fields.length > 10) problem(st, `${path}/fields`, `section must have at most 10 fields (got ${b.fields.length})`);
          b.fields.forEach((f: unknown, i: number) => void checkText(st, f, `${path}/fields/${i}`, { what: 'section field', max: 2000 }));
        }
      }
      if (b.accessory !== undefined) checkElement(st, b.accessory, `${path}/accessory`);
      break;
    }
    case 'header':
      checkText(st, b.text, `${path}/text`, { what: 'header text', max: 150, plainOnly: true });
      break;
    case 'context': {
      if (!Array.isArray(b.elements)) {
        problem(st, `${path}/elements`, 'context needs elements');
        break;
      }
      if (b.elements.length < 1) problem(st, `${path}/elements`, 'context must have at least 1 element');
      if (b.elements.length > 10) problem(st, `${path}/elements`, `context must have at most 10 elements (got ${b.elements.length})`);
      b.elements.forEach((e: unknown, i: number) => {
        const p = `${path}/elements/${i}`;
        if (isObj(e) && e.type === 'image') checkElement(st, e, p);
        else checkText(st, e, p, { what: 'context element', max: 3000 });
      });
      break;
    }
    case 'actions': {
      if (!Array.isArray(b.elements)) {
        problem(st, `${path}/elements`, 'actions needs elements');
        break;
      }
      if (b.elements.length < 1) problem(st, `${path}/elements`, 'actions must have at least 1 element');
      if (b.elements.length > 25) problem(st, `${path}/elements`, `actions must have at most 25 elements (got ${b.elements.length})`);
      b.elements.forEach((e: unknown, i: number) => void checkElement(st, e, `${path}/elements/${i}`));
      break;
    }
    case 'image':
      if (typeof b.image_url !== 'string' && b.slack_file === undefined) problem(st, `${path}/image_url`, 'image block needs image_url');
      checkLen(st, b.image_url, `${path}/image_url`, 3000, 'image_url');
      if (typeof b.alt_text !== 'string') problem(st, `${path}/alt_text`, 'image block needs alt_text');
      checkLen(st, b.alt_text, `${path}/alt_text`, 2000, 'alt_text');
      if (b.title !== undefined) checkText(st, b.title, `${path}/title`, { what: 'image title', max: 2000, plainOnly: true });
      break;
    case 'context_actions': {
      // https://docs.slack.dev/reference/block-kit/blocks/context-actions-block: 1..5 feedback or icon buttons.
      if (!Array.isArray(b.elements)) {
        problem(st, `${path}/elements`, 'context_actions needs elements');
        break;
      }
      if (b.elements.length < 1) problem(st, `${path}/elements`, 'context_actions must have at least 1 element');
      if (b.elements.length > 5) problem(st, `${path}/elements`, `context_actions must have at most 5 elements (got ${b.elements.length})`);
      b.elements.forEach((e: unknown, i: number) => {
        const p = `${path}/elements/${i}`;
        if (isObj(e) && e.type !== 'feedback_buttons' && e.type !== 'icon_button')
          problem(st, `${p}/type`, `context_actions elements must be feedback_buttons or icon_button (got ${JSON.stringify(e.type)})`);
        checkElement(st, e, p);
      });
      break;
    }
    case 'markdown':
      if (typeof b.text !== 'string' || b.text.length === 0) problem(st, `${path}/text`, 'markdown block needs text');
      checkLen(st, b.text, `${path}/text`, 12000, 'markdown text');
      break;
    case 'input':
      checkText(st, b.label, `${path}/label`, { what: 'input label', max: 2000, plainOnly: true });
      if (b.hint !== undefined) checkText(st, b.hint, `${path}/hint`, { what: 'input hint', max: 2000, plainOnly: true });
      if (b.element === undefined) problem(st, `${path}/element`, 'input needs element');
      else checkElement(st, b.element, `${path}/element`);
      break;
    default:
      break;
  }
}

/**
 * Checks blocks against Slack's Block Kit limits. Returns the problems found ([] when fine), each formatted like
 * Slack's own errors: '<what is wrong> [json-pointer:/blocks/3/text/text]'.
 */
export function checkBlockKitLimits(blocks: unknown[], opts?: { maxBlocks?: number; path?: string }): string[] {
  const maxBlocks = opts?.maxBlocks ?? 50;
  const root = opts?.path ?? '/blocks';
  const st: CheckState = { problems: [], actionIds: new Map(), blockIds: new Map() };
  if (!Array.isArray(blocks)) {
    problem(st, root, 'blocks must be an array');
    return st.problems;
  }
  if (blocks.length > maxBlocks) problem(st, root, `must have at most ${maxBlocks} blocks (got ${blocks.length})`);
  blocks.forEach((b, i) => void checkBlock(st, b, `${root}/${i}`));
  return st.problems;
}

/** Message-level checks: blocks (≤50), top-level text fallback when blocks are present, text ≤ 40,000. */
export function checkMessageLimits(msg: Record<string, any>): string[] {
  const problems: string[] = [];
  const { blocks } = msg;
  if (blocks !== undefined && blocks !== null) {
    if (typeof blocks === 'string') {
      problems.push('blocks is not valid JSON [json-pointer:/blocks]');
    } else {
      problems.push(...checkBlockKitLimits(blocks, { maxBlocks: 50 }));
      if (Array.isArray(blocks) && blocks.length > 0 && (typeof msg.text !== 'string' || msg.text.trim() === '')) {
        problems.push('top-level text (notification fallback) is missing while blocks are present [json-pointer:/text]');
      }
    }
  }
  if (typeof msg.text === 'string' && msg.text.length > 40000) {
    problems.push(`text must be at most 40000 characters (got ${msg.text.length}) [json-pointer:/text]`);
  }
  if (Array.isArray(msg.attachments)) {
    msg.attachments.forEach((a: any, i: number) => {
      if (isObj(a) && a.blocks !== undefined) {
        problems.push(...checkBlockKitLimits(a.blocks, { maxBlocks: 50, path: `/attachments/${i}/blocks` }));
      }
    });
  }
  return problems;
}

/** View-level checks: blocks (≤100), title/submit/close (plain_text ≤24), private_metadata ≤3000, callback_id ≤255. */
export function checkViewLimits(view: unknown): string[] {
  const st: CheckState = { problems: [], actionIds: new Map(), blockIds: new Map() };
  if (!isObj(view)) {
    problem(st, '/view', 'view must be an object');
    return st.problems;
  }
  if (view.type !== 'modal' && view.type !== 'home') problem(st, '/view/type', `view type must be modal or home (got ${JSON.stringify(view.type)})`);
  if (view.type === 'modal') {
    checkText(st, view.title, '/view/title', { what: 'modal title', max: 24, plainOnly: true });
    if (view.submit !== undefined) checkText(st, view.submit, '/view/submit', { what: 'modal submit', max: 24, plainOnly: true });
    if (view.close !== undefined) checkText(st, view.close, '/view/close', { what: 'modal close', max: 24, plainOnly: true });
    if (Array.isArray(view.blocks) && view.blocks.some((b: any) => isObj(b) && b.type === 'input') && view.submit === undefined) {
      problem(st, '/view/submit', 'a modal with input blocks needs submit');
    }
  }
  checkLen(st, view.private_metadata, '/view/private_metadata', 3000, 'private_metadata');
  checkLen(st, view.callback_id, '/view/callback_id', 255, 'callback_id');
  checkLen(st, view.external_id, '/view/external_id', 255, 'external_id');
  if (!Array.isArray(view.blocks)) problem(st, '/view/blocks', 'view needs blocks');
  else st.problems.push(...checkBlockKitLimits(view.blocks, { maxBlocks: 100, path: '/view/blocks' }));
  return st.problems;
}

// ---------------------------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------------------------

const JSON_KEYS = new Set(['blocks', 'attachments', 'view', 'metadata', 'user_auth_blocks', 'unfurls', 'options']);
const TEXT_KEYS = new Set(['text', 'markdown_text', 'query', 'name', 'title', 'initial_comment', 'value', 'content']);

function decodeFormValue(key: string, value: string): unknown {
  const first = value.trimStart()[0];
  if ((JSON_KEYS.has(key) || (!TEXT_KEYS.has(key) && (first === '[' || first === '{'))) && value.length > 0) {
    try {
      return JSON.parse(value);
    } catch {
      return value; // left as a string: the method handler reports invalid_blocks_format / invalid_arguments
    }
  }
  return value;
}

function randomId(prefix: string, len = 10): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  const bytes = randomBytes(len);
  let s = prefix;
  for (const b of bytes) s += alphabet[b % alphabet.length];
  return s;
}

function readBody(req: IncomingMessage, limit = 10 * 1024 * 1024): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        reject(new Error('body too large'));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function findElementInBlocks(blocks: unknown, actionId: string): { blockId?: string; element: Record<string, any> } | undefined {
  if (!Array.isArray(blocks)) return undefined;
  for (const b of blocks) {
    if (!isObj(b)) continue;
    const candidates: unknown[] = [];
    if (Array.isArray(b.elements)) candidates.push(...b.elements);
    if (b.accessory !== undefined) candidates.push(b.accessory);
    if (b.element !== undefined) candidates.push(b.element);
    for (const el of candidates) {
      if (isObj(el) && el.action_id === actionId) return { blockId: typeof b.block_id === 'string' ? b.block_id : undefined, element: el };
    }
  }
  return undefined;
}

interface Pending {
  resolve: (payload: any) => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
  record: EnvelopeRecord;
}

interface Conn {
  ws: WebSocket;
  id: number;
  draining: boolean;
}

interface ResponseUrlContext {
  kind: 'slash_command' | 'block_actions' | 'message_action';
  channel?: string;
  user: string;
  /** For block actions from a message: the message the button is in. */
  messageTs?: string;
  messageEphemeral?: boolean;
}

type FailAnswer = { error: string } | { status: 429; retryAfter: number };

// ---------------------------------------------------------------------------------------------------------------
// The fake
// ---------------------------------------------------------------------------------------------------------------

class FakeSlackImpl implements FakeSlack {
  apiUrl = '';
  baseUrl = '';
  readonly calls: ApiCall[] = [];
  readonly responses: ResponseUrlPost[] = [];
  readonly blockViolations: BlockViolation[] = [];
  readonly envelopes: EnvelopeRecord[] = [];
  readonly messages: StoredMessage[] = [];
  readonly views = new Map<string, StoredView>();
  readonly assistantThreads = new Map<string, AssistantThread>();
  private opened = 0;

  private readonly botUserId: string;
  private readonly botId: string;
  private readonly teamId: string;
  private readonly appId: string;
  private readonly opts: FakeSlackOptions;
  private readonly users: Record<string, { name: string; real_name?: string; is_bot?: boolean; tz?: string; email?: string }>;
  private readonly channels: Record<string, { name: string; is_private?: boolean; member?: boolean }>;
  private readonly logFn: ((line: string) => void) | undefined;

  private readonly server: http.Server;
  private readonly wss: WebSocketServer;
  private readonly rawSockets = new Set<Socket>();
  private conns: Conn[] = [];
  private connSeq = 0;
  private rr = 0;
  private readonly tickets = new Set<string>();
  private readonly pending = new Map<string, Pending>();
  private readonly failures = new Map<string, FailAnswer[]>();
  private readonly delays = new Map<string, { ms: number; left: number }>();
  private delayedNow = 0;
  private readonly responseUrls = new Map<string, ResponseUrlContext>();
  private readonly triggers = new Map<string, { issuedAt: number; used: boolean }>();
  private lastTsMicros = 0;
  private viewSeq = 0;
  private closed = false;

  constructor(opts: FakeSlackOptions) {
    this.opts = opts;
    this.botUserId = opts.botUserId ?? 'UBOT0001';
    this.botId = opts.botId ?? 'BBOT0001';
    this.teamId = opts.teamId ?? 'T00000001';
    this.appId = opts.appId ?? 'A00000001';
    this.users = {
      U00000001: { name: 'alice', real_name: 'Alice Example' },
      U00000002: { name: 'bob', real_name: 'Bob Example' },
      ...opts.users,
      [this.botUserId]: { name: 'aws-guide', real_name: 'AWS Guide', is_bot: true },
    };
    this.channels = { C00000001: { name: 'general' }, ...opts.channels };
    const envLog = process.env.FAKE_SLACK_DEBUG === '1';
    this.logFn =
      typeof opts.log === 'function' ? opts.log : opts.log === true || envLog ? (line: string) => console.error(`[fake-slack] ${line}`) : undefined;

    this.server = http.createServer((req, res) => {
      this.handleHttp(req, res).catch((err: unknown) => {
        this.log(`internal error: ${String(err)}`);
        if (!res.headersSent) {
          // Never 500 (the bot's WebClient would retry for minutes): answer like Slack's own failure mode.
          res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8' });
          res.end(JSON.stringify({ ok: false, error: 'fatal_error', detail: String(err) }));
        }
      });
    });
    this.server.keepAliveTimeout = opts.keepAliveMs ?? 1000;
    this.server.on('connection', (s: Socket) => {
      this.rawSockets.add(s);
      s.on('close', () => this.rawSockets.delete(s));
    });
    this.wss = new WebSocketServer({ noServer: true, clientTracking: true });
    this.server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => this.handleUpgrade(req, socket, head));
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, '127.0.0.1', () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    const { port } = this.server.address() as AddressInfo;
    this.baseUrl = `http://127.0.0.1:${port}`;
    this.apiUrl = `${this.baseUrl}/api/`;
    this.log(`listening on ${this.baseUrl}`);
  }

  get connections(): number {
    return this.conns.filter((c) => c.ws.readyState === WebSocket.OPEN).length;
  }

  get connectionsOpened(): number {
    return this.opened;
  }

  private log(line: string): void {
    this.logFn?.(line);
  }

  // ------------------------------------------------------------------ ids

  private nextTs(): string {
    let micros = Date.now() * 1000;
    if (micros <= this.lastTsMicros) micros = this.lastTsMicros + 1;
    this.lastTsMicros = micros;
    const s = String(micros);
    return `${s.slice(0, -6)}.${s.slice(-6)}`;
  }

  private issueTrigger(id?: string): string {
    const trigger =
      id ??
      `${Date.now()}${String(Math.floor(Math.random() * 1000)).padStart(3, '0')}.${this.teamId.replace(/\D/g, '') || '1'}.${randomBytes(16).toString('hex')}`;
    this.triggers.set(trigger, { issuedAt: Date.now(), used: false });
    return trigger;
  }

  private issueResponseUrl(ctx: ResponseUrlContext): { id: string; url: string } {
    const id = `${this.teamId}-${Date.now()}-${randomBytes(8).toString('hex')}`;
    this.responseUrls.set(id, ctx);
    return { id, url: `${this.baseUrl}/response/${id}` };
  }

  private userName(id: string): string {
    return this.users[id]?.name ?? id.toLowerCase();
  }

  private channelName(id: string): string {
    if (id.startsWith('D')) return 'directmessage';
    return this.channels[id]?.name ?? id.toLowerCase();
  }

  private dmChannelFor(user: string): string {
    return `D${user.slice(1)}`;
  }

  private resolveChannel(ch: string): string {
    if (/^[UW][A-Z0-9]+$/.test(ch)) return this.dmChannelFor(ch);
    const name = ch.replace(/^#/, '');
    for (const [id, c] of Object.entries(this.channels)) if (c.name === name) return id;
    return ch;
  }

  private findMessage(channel: string, ts: string): StoredMessage | undefined {
    return this.messages.find((m) => m.channel === channel && m.ts === ts && !m.ephemeral);
  }

  private storeMessage(m: Omit<StoredMessage, 'deleted' | 'edited' | 'reactions'>): StoredMessage {
    const existing = m.ephemeral ? undefined : this.findMessage(m.channel, m.ts);
    if (existing) return existing;
    const stored: StoredMessage = { deleted: false, edited: false, reactions: [], ...m };
    this.messages.push(stored);
    return stored;
  }

  private messageJson(m: StoredMessage): Record<string, any> {
    const out: Record<string, any> = { type: 'message', ts: m.ts, text: m.text ?? '' };
    if (m.user) out.user = m.user;
    if (m.bot_id) {
      out.bot_id = m.bot_id;
      out.app_id = this.appId;
      out.bot_profile = { id: m.bot_id, app_id: this.appId, name: 'aws-guide', team_id: this.teamId, deleted: false };
    }
    out.team = this.teamId;
    if (m.blocks) out.blocks = m.blocks;
    if (m.attachments) out.attachments = m.attachments;
    if (m.thread_ts) {
      out.thread_ts = m.thread_ts;
      const parent = this.findMessage(m.channel, m.thread_ts);
      if (parent?.user) out.parent_user_id = parent.user;
    }
    if (m.edited) out.edited = { user: m.user ?? this.botUserId, ts: m.editedTs ?? m.ts };
    if (m.reactions.length > 0) out.reactions = m.reactions.map((r) => ({ name: r.name, users: [...r.users], count: r.users.length }));
    return out;
  }

  // ------------------------------------------------------------------ HTTP

  private async handleHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.baseUrl || 'http://127.0.0.1');
    if (url.pathname.startsWith('/api/')) {
      await this.handleApi(req, res, url);
      return;
    }
    if (url.pathname.startsWith('/response/') && req.method === 'POST') {
      await this.handleResponseUrl(req, res, decodeURIComponent(url.pathname.slice('/response/'.length)));
      return;
    }
    res.writeHead(404, { 'Content-Type': 'text/plain' });
    res.end('not found');
  }

  private sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', ...headers });
    res.end(JSON.stringify(body));
  }

  private async parseApiArgs(req: IncomingMessage, url: URL): Promise<Record<string, any>> {
    const args: Record<string, any> = {};
    for (const [k, v] of url.searchParams) args[k] = decodeFormValue(k, v);
    if (req.method !== 'POST') return args;
    const raw = await readBody(req);
    if (raw.length === 0) return args;
    const ctype = String(req.headers['content-type'] ?? '').toLowerCase();
    if (ctype.startsWith('application/json')) {
      const parsed: unknown = JSON.parse(raw.toString('utf8'));
      if (isObj(parsed)) Object.assign(args, parsed);
    } else if (ctype.startsWith('multipart/form-data')) {
      const form = await new Response(new Uint8Array(raw), { headers: { 'content-type': ctype } }).formData();
      for (const [k, v] of form.entries()) {
        args[k] = typeof v === 'string' ? decodeFormValue(k, v) : { file: (v as Blob & { name?: string }).name, size: (v as Blob).size };
      }
    } else {
      for (const [k, v] of new URLSearchParams(raw.toString('utf8'))) args[k] = decodeFormValue(k, v);
    }
    return args;
  }

  private async handleApi(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const at = Date.now();
    const method = url.pathname.slice('/api/'.length);
    let args: Record<string, any>;
    try {
      args = await this.parseApiArgs(req, url);
    } catch (err) {
      const response = { ok: false, error: 'invalid_json', detail: String(err) };
      this.calls.push({ method, args: {}, token: undefined, at, status: 200, response });
      this.sendJson(res, 200, response);
      return;
    }
    const auth = String(req.headers.authorization ?? '');
    const headerToken = /^Bearer\s+(.+)$/i.exec(auth)?.[1]?.trim();
    const token: string | undefined = headerToken || (typeof args.token === 'string' ? args.token : undefined);

    const delayMs = this.takeDelay(method);
    if (delayMs > 0) {
      let gone = false;
      this.delayedNow += 1;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delayMs);
        res.once('close', () => {
          gone = true;
          clearTimeout(timer);
          resolve();
        });
      });
      this.delayedNow -= 1;
      if (gone) {
        this.calls.push({ method, args, token, at, status: 0, response: { ok: false, error: 'client_gone' } });
        this.log(`api ${method}: the client went away during its ${delayMs}ms delay; not carried out`);
        return;
      }
    }

    let status = 200;
    let response: Record<string, any>;
    const headers: Record<string, string> = {};
    const injected = this.takeFailure(method);
    if (injected && 'status' in injected) {
      status = 429;
      headers['Retry-After'] = String(injected.retryAfter);
      response = { ok: false, error: 'ratelimited' };
    } else if (injected) {
      response = { ok: false, error: injected.error };
    } else {
      const authError = this.checkToken(method, token);
      response = authError ? { ok: false, error: authError } : this.dispatch(method, args);
    }
    this.calls.push({ method, args, token, at, status, response });
    this.log(`api ${method} -> ${status} ${response.ok ? 'ok' : `error ${String(response.error)}`}`);
    this.sendJson(res, status, response, headers);
  }

  private takeDelay(method: string): number {
    const d = this.delays.get(method);
    if (!d) return 0;
    d.left -= 1;
    if (d.left <= 0) this.delays.delete(method);
    return d.ms;
  }

  private takeFailure(method: string): FailAnswer | undefined {
    const q = this.failures.get(method);
    if (!q || q.length === 0) return undefined;
    const a = q.shift();
    if (q.length === 0) this.failures.delete(method);
    return a;
  }

  private checkToken(method: string, token: string | undefined): string | undefined {
    if (!token) return 'not_authed';
    if (method === 'apps.connections.open') {
      const good = this.opts.appToken !== undefined ? token === this.opts.appToken : token.startsWith('xapp-');
      return good ? undefined : 'invalid_auth';
    }
    const good = this.opts.botToken !== undefined ? token === this.opts.botToken : token.startsWith('xoxb-');
    return good ? undefined : 'invalid_auth';
  }

  /** Records violations; returns the error answer when validateBlocks is 'reject'. */
  private validate(where: string, problems: string[], kind: 'message' | 'view'): Record<string, any> | undefined {
    if (problems.length === 0) return undefined;
    this.blockViolations.push({ where, problems });
    this.log(`block violations in ${where}: ${problems.join('; ')}`);
    if (this.opts.validateBlocks !== 'reject') return undefined;
    const messages = problems.map((p) => `[ERROR] ${p}`);
    if (kind === 'view') return { ok: false, error: 'invalid_arguments', response_metadata: { messages } };
    return { ok: false, error: 'invalid_blocks', errors: problems, response_metadata: { messages } };
  }

  private dispatch(method: string, args: Record<string, any>): Record<string, any> {
    switch (method) {
      case 'auth.test':
        return {
          ok: true,
          url: 'https://fake-workspace.slack.com/',
          team: 'Fake Workspace',
          user: this.userName(this.botUserId),
          team_id: this.teamId,
          user_id: this.botUserId,
          bot_id: this.botId,
          is_enterprise_install: false,
        };
      case 'apps.connections.open': {
        const ticket = randomUUID();
        this.tickets.add(ticket);
        this.opened += 1;
        const wsBase = this.baseUrl.replace(/^http/, 'ws');
        return { ok: true, url: `${wsBase}/link/?ticket=${ticket}&app_id=${this.appId}` };
      }
      case 'chat.postMessage':
      case 'chat.postEphemeral':
        return this.postMessage(method, args);
      case 'chat.update':
        return this.chatUpdate(args);
      case 'chat.delete': {
        const channel = typeof args.channel === 'string' ? this.resolveChannel(args.channel) : undefined;
        if (!channel) return { ok: false, error: 'channel_not_found' };
        const m = typeof args.ts === 'string' ? this.findMessage(channel, args.ts) : undefined;
        if (!m || m.deleted) return { ok: false, error: 'message_not_found' };
        if (m.bot_id !== this.botId) return { ok: false, error: 'cant_delete_message' };
        m.deleted = true;
        return { ok: true, channel, ts: m.ts };
      }
      case 'chat.getPermalink': {
        const channel = String(args.channel ?? '');
        const ts = String(args.message_ts ?? '');
        return { ok: true, channel, permalink: `https://fake-workspace.slack.com/archives/${channel}/p${ts.replace('.', '')}` };
      }
      case 'views.open':
      case 'views.push':
      case 'views.update':
      case 'views.publish':
        return this.viewsMethod(method, args);
      case 'conversations.info': {
        const ch = typeof args.channel === 'string' ? args.channel : '';
        if (!/^[CGD][A-Z0-9]+$/.test(ch)) return { ok: false, error: 'channel_not_found' };
        const isIm = ch.startsWith('D');
        const known = this.channels[ch];
        return {
          ok: true,
          channel: {
            id: ch,
            name: isIm ? undefined : this.channelName(ch),
            is_channel: !isIm && !known?.is_private,
            is_group: false,
            is_im: isIm,
            is_mpim: false,
            is_private: isIm || known?.is_private === true,
            is_archived: false,
            is_general: known?.name === 'general',
            is_member: true,
            is_ext_shared: false,
            context_team_id: this.teamId,
            created: 1600000000,
            ...(isIm ? { user: `U${ch.slice(1)}` } : {}),
          },
        };
      }
      case 'conversations.open': {
        const users = String(args.users ?? '')
          .split(',')
          .filter(Boolean);
        const first = users[0];
        if (!first) return { ok: false, error: 'users_list_not_supplied' };
        return { ok: true, channel: { id: this.dmChannelFor(first) } };
      }
      case 'conversations.history': {
        const ch = String(args.channel ?? '');
        if (!this.isMember(ch)) return { ok: false, error: 'not_in_channel' };
        const msgs = this.messages
          .filter((m) => m.channel === ch && !m.ephemeral && !m.deleted && (!m.thread_ts || m.thread_ts === m.ts))
          .map((m) => this.messageJson(m))
          .reverse();
        return { ok: true, messages: msgs, has_more: false };
      }
      case 'conversations.replies': {
        const ch = String(args.channel ?? '');
        const ts = String(args.ts ?? '');
        if (!this.isMember(ch)) return { ok: false, error: 'not_in_channel' };
        const parent = this.findMessage(ch, ts);
        if (!parent) return { ok: false, error: 'thread_not_found' };
        const msgs = this.messages
          .filter((m) => m.channel === ch && !m.ephemeral && !m.deleted && (m.ts === ts || m.thread_ts === ts))
          .map((m) => this.messageJson(m));
        return { ok: true, messages: msgs, has_more: false };
      }
      case 'users.info': {
        const id = typeof args.user === 'string' ? args.user : '';
        if (!/^[UWB][A-Z0-9]+$/.test(id)) return { ok: false, error: 'user_not_found' };
        const u = this.users[id] ?? { name: id.toLowerCase() };
        return {
          ok: true,
          user: {
            id,
            team_id: this.teamId,
            name: u.name,
            deleted: false,
            real_name: u.real_name ?? u.name,
            tz: u.tz ?? 'Europe/London',
            tz_label: 'Greenwich Mean Time',
            tz_offset: 0,
            is_bot: u.is_bot === true,
            is_admin: false,
            is_app_user: false,
            profile: {
              real_name: u.real_name ?? u.name,
              display_name: u.name,
              ...(u.email ? { email: u.email } : {}),
              ...(u.is_bot ? { bot_id: this.botId } : {}),
            },
          },
        };
      }
      case 'reactions.add':
      case 'reactions.remove': {
        if (typeof args.name !== 'string' || args.name === '') return { ok: false, error: 'invalid_name' };
        if (typeof args.channel !== 'string' || typeof args.timestamp !== 'string') return { ok: false, error: 'no_item_specified' };
        const m = this.findMessage(this.resolveChannel(args.channel), args.timestamp);
        if (!m || m.deleted) return { ok: false, error: 'message_not_found' };
        const name = args.name.replace(/^:|:$/g, '');
        let r = m.reactions.find((x) => x.name === name);
        if (method === 'reactions.add') {
          if (r?.users.includes(this.botUserId)) return { ok: false, error: 'already_reacted' };
          if (!r) {
            r = { name, users: [] };
            m.reactions.push(r);
          }
          r.users.push(this.botUserId);
        } else {
          if (!r?.users.includes(this.botUserId)) return { ok: false, error: 'no_reaction' };
          r.users = r.users.filter((u) => u !== this.botUserId);
          if (r.users.length === 0) m.reactions = m.reactions.filter((x) => x !== r);
        }
        return { ok: true };
      }
      case 'assistant.threads.setStatus':
      case 'assistant.threads.setSuggestedPrompts':
      case 'assistant.threads.setTitle':
        return this.assistantMethod(method, args);
      default:
        return { ok: true };
    }
  }

  /**
   * `assistant.threads.setStatus` / `setSuggestedPrompts` / `setTitle` (https://docs.slack.dev/reference/methods/):
   * `channel_id` and `thread_ts` of an assistant thread (one started with `assistantThreadStarted`), then the
   * status, the prompts (1 to 4, each {title, message}) or the title. Anywhere else Slack refuses them.
   */
  private assistantMethod(method: string, args: Record<string, any>): Record<string, any> {
    const channel = typeof args.channel_id === 'string' ? args.channel_id : '';
    const threadTs = typeof args.thread_ts === 'string' ? args.thread_ts : '';
    if (!channel) return { ok: false, error: 'channel_not_found' };
    if (!threadTs) return { ok: false, error: 'invalid_thread_ts' };
    const thread = this.assistantThreads.get(`${channel} ${threadTs}`);
    if (!thread) return { ok: false, error: 'invalid_thread_ts' };
    if (method === 'assistant.threads.setStatus') {
      if (typeof args.status !== 'string') return { ok: false, error: 'invalid_arguments' };
      thread.status = args.status;
    } else if (method === 'assistant.threads.setTitle') {
      if (typeof args.title !== 'string' || args.title === '') return { ok: false, error: 'invalid_arguments' };
      thread.title = args.title;
    } else {
      const prompts = args.prompts;
      const good =
        Array.isArray(prompts) &&
        prompts.length >= 1 &&
        prompts.length <= 4 &&
        prompts.every((x: any) => isObj(x) && typeof x.title === 'string' && x.title !== '' && typeof x.message === 'string' && x.message !== '');
      if (!good) return { ok: false, error: 'invalid_arguments' };
      thread.prompts = prompts.map((x: any) => ({ title: x.title, message: x.message }));
      if (typeof args.title === 'string') thread.promptsTitle = args.title;
    }
    return { ok: true };
  }

  /** Whether the bot is a member of a channel (DMs and unknown channels: yes; `channels[id].member: false`: no). */
  private isMember(channel: string): boolean {
    return this.channels[channel]?.member !== false;
  }

  private postMessage(method: 'chat.postMessage' | 'chat.postEphemeral', args: Record<string, any>): Record<string, any> {
    if (typeof args.channel !== 'string' || args.channel === '') return { ok: false, error: 'channel_not_found' };
    if (typeof args.blocks === 'string') return { ok: false, error: 'invalid_blocks_format' };
    const hasContent =
      (typeof args.text === 'string' && args.text !== '') ||
      (Array.isArray(args.blocks) && args.blocks.length > 0) ||
      (Array.isArray(args.attachments) && args.attachments.length > 0);
    if (!hasContent) return { ok: false, error: 'no_text' };
    if (method === 'chat.postEphemeral' && (typeof args.user !== 'string' || args.user === '')) return { ok: false, error: 'user_not_in_channel' };
    // chat:write.public lets a bot post in a public channel it is not in; not an ephemeral message, nor in a private one.
    const target = this.resolveChannel(args.channel);
    if (!this.isMember(target) && (method === 'chat.postEphemeral' || this.channels[target]?.is_private))
      return { ok: false, error: 'not_in_channel' };
    const rejected = this.validate(method, checkMessageLimits(args), 'message');
    if (rejected) return rejected;
    const channel = this.resolveChannel(args.channel);
    const ts = this.nextTs();
    const ephemeral = method === 'chat.postEphemeral';
    const m = this.storeMessage({
      channel,
      ts,
      thread_ts: typeof args.thread_ts === 'string' && args.thread_ts !== '' ? args.thread_ts : undefined,
      user: this.botUserId,
      bot_id: this.botId,
      text: typeof args.text === 'string' ? args.text : '',
      blocks: Array.isArray(args.blocks) ? args.blocks : undefined,
      attachments: Array.isArray(args.attachments) ? args.attachments : undefined,
      ephemeral,
      visibleTo: ephemeral ? String(args.user) : undefined,
      via: method,
    });
    if (ephemeral) return { ok: true, message_ts: ts };
    return { ok: true, channel, ts, message: this.messageJson(m) };
  }

  private chatUpdate(args: Record<string, any>): Record<string, any> {
    if (typeof args.channel !== 'string' || args.channel === '') return { ok: false, error: 'channel_not_found' };
    if (typeof args.ts !== 'string' || args.ts === '') return { ok: false, error: 'message_not_found' };
    if (typeof args.blocks === 'string') return { ok: false, error: 'invalid_blocks_format' };
    const rejected = this.validate('chat.update', checkMessageLimits(args), 'message');
    if (rejected) return rejected;
    const channel = this.resolveChannel(args.channel);
    const m = this.findMessage(channel, args.ts);
    if (!m || m.deleted) return { ok: false, error: 'message_not_found' };
    if (m.bot_id !== this.botId) return { ok: false, error: 'cant_update_message' };
    if (typeof args.text === 'string') m.text = args.text;
    if (Array.isArray(args.blocks)) m.blocks = args.blocks;
    if (Array.isArray(args.attachments)) m.attachments = args.attachments;
    m.edited = true;
    m.editedTs = this.nextTs();
    return { ok: true, channel, ts: m.ts, text: m.text ?? '', message: this.messageJson(m) };
  }

  private viewsMethod(method: string, args: Record<string, any>): Record<string, any> {
    if (typeof args.view === 'string' || !isObj(args.view)) {
      return { ok: false, error: 'invalid_arguments', response_metadata: { messages: ['[ERROR] missing or invalid view [json-pointer:/view]'] } };
    }
    const view = args.view;
    if (method === 'views.open' || method === 'views.push') {
      const triggerErr = this.useTrigger(args.trigger_id);
      if (triggerErr) return { ok: false, error: triggerErr };
      if (view.type !== 'modal' && view.type !== undefined) return { ok: false, error: 'invalid_arguments' };
    }
    let existing: StoredView | undefined;
    if (method === 'views.update') {
      if (typeof args.view_id === 'string') existing = this.views.get(args.view_id);
      else if (typeof args.external_id === 'string') existing = [...this.views.values()].find((v) => v.view.external_id === args.external_id);
      else return { ok: false, error: 'invalid_arguments' };
      if (!existing) return { ok: false, error: 'not_found' };
      if (typeof args.hash === 'string' && args.hash !== existing.view.hash) return { ok: false, error: 'hash_conflict' };
    }
    if (method === 'views.publish') {
      if (typeof args.user_id !== 'string' || args.user_id === '') return { ok: false, error: 'invalid_arguments' };
      if (view.type !== 'home') return { ok: false, error: 'invalid_arguments' };
      existing = [...this.views.values()].find((v) => v.type === 'home' && v.user === args.user_id);
    }
    const rejected = this.validate(method, checkViewLimits({ type: existing?.type ?? 'modal', ...view }), 'view');
    if (rejected) return rejected;

    const id = existing?.id ?? `V${String(++this.viewSeq).padStart(9, '0')}`;
    const type = String(view.type ?? existing?.type ?? 'modal');
    const previous = method === 'views.push' ? [...this.views.values()].filter((v) => v.type === 'modal').at(-1) : undefined;
    const full: Record<string, any> = {
      id,
      team_id: this.teamId,
      type,
      blocks: Array.isArray(view.blocks) ? view.blocks : [],
      private_metadata: typeof view.private_metadata === 'string' ? view.private_metadata : '',
      callback_id: typeof view.callback_id === 'string' ? view.callback_id : '',
      state: { values: {} },
      hash: `${Math.floor(Date.now() / 1000)}.${randomBytes(4).toString('hex')}`,
      title: view.title ?? null,
      clear_on_close: view.clear_on_close === true,
      notify_on_close: view.notify_on_close === true,
      close: view.close ?? null,
      submit: view.submit ?? null,
      previous_view_id: previous?.id ?? existing?.view.previous_view_id ?? null,
      root_view_id: existing?.view.root_view_id ?? previous?.view.root_view_id ?? id,
      app_id: this.appId,
      external_id: typeof view.external_id === 'string' ? view.external_id : '',
      app_installed_team_id: this.teamId,
      bot_id: this.botId,
    };
    const user = method === 'views.publish' ? String(args.user_id) : existing?.user;
    this.views.set(id, { id, type, user, view: full, via: method });
    return { ok: true, view: full };
  }

  private useTrigger(triggerId: unknown): string | undefined {
    if (typeof triggerId !== 'string' || triggerId === '') return 'invalid_trigger_id';
    const t = this.triggers.get(triggerId);
    if (!t) return 'invalid_trigger_id';
    if (t.used) return 'exchanged_trigger_id';
    if (Date.now() - t.issuedAt > (this.opts.triggerTtlMs ?? 3000)) return 'expired_trigger_id';
    t.used = true;
    return undefined;
  }

  private async handleResponseUrl(req: IncomingMessage, res: ServerResponse, id: string): Promise<void> {
    const at = Date.now();
    const raw = (await readBody(req)).toString('utf8');
    const ctx = this.responseUrls.get(id);
    let body: any;
    try {
      body = JSON.parse(raw);
    } catch {
      body = raw;
    }
    const url = `${this.baseUrl}/response/${id}`;
    if (!ctx) {
      this.log(`response_url ${id}: unknown`);
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      res.end('no_such_response_url');
      return;
    }
    const record: ResponseUrlPost = {
      id,
      url,
      body,
      at,
      source: { kind: ctx.kind, channel: ctx.channel, user: ctx.user },
      status: 200,
    };
    const problems = isObj(body) ? checkMessageLimits(body) : ['body is not a JSON object'];
    const rejected = this.validate('response_url', problems, 'message');
    if (rejected) {
      record.status = 400;
      this.responses.push(record);
      res.writeHead(400, { 'Content-Type': 'text/plain' });
      res.end('invalid_blocks');
      return;
    }
    this.responses.push(record);
    this.log(`response_url ${id} <- ${raw.slice(0, 200)}`);
    if (isObj(body) && ctx.channel) this.applyResponse(ctx, body);
    res.writeHead(200, { 'Content-Type': 'text/plain' });
    res.end('ok');
  }

  /** What Slack does with a response_url post: replace/delete the original, or post a new (ephemeral) message. */
  private applyResponse(ctx: ResponseUrlContext, body: Record<string, any>): void {
    const channel = ctx.channel as string;
    const original = ctx.messageTs
      ? this.messages.find((m) => m.channel === channel && m.ts === ctx.messageTs && m.ephemeral === (ctx.messageEphemeral === true))
      : undefined;
    if (body.delete_original === true || body.delete_original === 'true') {
      if (original) original.deleted = true;
      return;
    }
    if ((body.replace_original === true || body.replace_original === 'true') && original) {
      if (typeof body.text === 'string') original.text = body.text;
      if (Array.isArray(body.blocks)) original.blocks = body.blocks;
      original.edited = true;
      original.editedTs = this.nextTs();
      return;
    }
    const ephemeral = body.response_type !== 'in_channel';
    this.storeMessage({
      channel,
      ts: this.nextTs(),
      thread_ts: typeof body.thread_ts === 'string' ? body.thread_ts : undefined,
      user: this.botUserId,
      bot_id: this.botId,
      text: typeof body.text === 'string' ? body.text : '',
      blocks: Array.isArray(body.blocks) ? body.blocks : undefined,
      ephemeral,
      visibleTo: ephemeral ? ctx.user : undefined,
      via: 'response_url',
    });
  }

  // ------------------------------------------------------------------ Socket Mode

  private handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const reject = (code: number, text: string): void => {
      this.log(`ws upgrade rejected: ${code} ${text}`);
      socket.write(`HTTP/1.1 ${code} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      socket.destroy();
    };
    if (this.closed) {
      reject(503, 'Service Unavailable');
      return;
    }
    const url = new URL(req.url ?? '/', this.baseUrl);
    if (url.pathname !== '/link/' && url.pathname !== '/link') {
      reject(404, 'Not Found');
      return;
    }
    const ticket = url.searchParams.get('ticket') ?? '';
    if (!this.tickets.has(ticket)) {
      reject(401, 'Unauthorized');
      return;
    }
    this.tickets.delete(ticket); // single-use
    this.wss.handleUpgrade(req, socket, head, (ws) => this.onConnection(ws));
  }

  private onConnection(ws: WebSocket): void {
    const conn: Conn = { ws, id: ++this.connSeq, draining: false };
    this.conns.push(conn);
    ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      this.onFrame(
        conn,
        Buffer.isBuffer(data)
          ? data.toString('utf8')
          : Array.isArray(data)
            ? Buffer.concat(data).toString('utf8')
            : Buffer.from(data).toString('utf8'),
      );
    });
    ws.on('close', (code) => {
      this.conns = this.conns.filter((c) => c !== conn);
      this.log(`socket #${conn.id} closed (${code}); open now: ${this.connections}`);
    });
    ws.on('error', (err) => this.log(`socket #${conn.id} error: ${String(err)}`));
    const hello = {
      type: 'hello',
      num_connections: this.connections,
      debug_info: { host: `applink-fake-${conn.id}`, build_number: 10, approximate_connection_time: 18060 },
      connection_info: { app_id: this.appId },
    };
    ws.send(JSON.stringify(hello));
    this.log(`socket #${conn.id} open; sent hello (connections: ${this.connections})`);
  }

  private onFrame(conn: Conn, text: string): void {
    let frame: any;
    try {
      frame = JSON.parse(text);
    } catch {
      this.log(`socket #${conn.id}: unparsable frame ${text.slice(0, 200)}`);
      return;
    }
    const id = isObj(frame) && typeof frame.envelope_id === 'string' ? frame.envelope_id : undefined;
    if (!id) {
      this.log(`socket #${conn.id}: frame without envelope_id ${text.slice(0, 200)}`);
      return;
    }
    const payload = frame.payload ?? {};
    const p = this.pending.get(id);
    if (p) {
      clearTimeout(p.timer);
      this.pending.delete(id);
      p.record.ack = payload;
      p.record.ackedAt = Date.now();
      this.log(`ack ${p.record.type} ${id} after ${p.record.ackedAt - p.record.sentAt}ms`);
      p.resolve(payload);
      return;
    }
    const rec = this.envelopes.find((e) => e.envelope_id === id);
    if (rec && rec.ack === undefined) {
      rec.ack = payload;
      rec.ackedAt = Date.now();
      rec.late = true;
      this.log(`late ack ${rec.type} ${id} after ${rec.ackedAt - rec.sentAt}ms`);
    } else {
      this.log(`ack for unknown/duplicate envelope ${id}`);
    }
  }

  private pickConnection(): Conn | undefined {
    const open = this.conns.filter((c) => !c.draining && c.ws.readyState === WebSocket.OPEN);
    if (open.length === 0) return undefined;
    const c = open[this.rr % open.length];
    this.rr += 1;
    return c;
  }

  /** Sends an envelope on the next connection (round-robin); resolves with the ack payload. */
  private async sendEnvelope(
    type: string,
    payload: any,
    acceptsResponsePayload: boolean,
    extra: Record<string, unknown>,
    timeoutMs: number,
    describe: string,
  ): Promise<{ ack: any; envelopeId: string }> {
    const envelope_id = randomUUID();
    const envelope = { envelope_id, type, payload, accepts_response_payload: acceptsResponsePayload, ...extra };
    const ack = await this.deliver(JSON.stringify(envelope), { envelope_id, type, payload }, timeoutMs, describe);
    return { ack, envelopeId: envelope_id };
  }

  /**
   * Writes one frame on the next open connection (waiting up to `timeoutMs` for one). With `awaitAck`, resolves
   * with the payload of the ack frame for `awaitAck.envelope_id` (and records it in `envelopes`); otherwise once
   * the frame is written.
   */
  private async deliver(
    text: string,
    awaitAck: { envelope_id: string; type: string; payload: any } | undefined,
    timeoutMs: number,
    describe: string,
  ): Promise<any> {
    if (this.closed) throw new Error('fake Slack is closed');
    const deadline = Date.now() + timeoutMs;
    let conn = this.pickConnection();
    while (!conn) {
      if (Date.now() >= deadline) {
        throw new Error(
          `fake Slack: no open Socket Mode connection to deliver ${describe} within ${timeoutMs}ms ` +
            `(connections now: ${this.connections}, apps.connections.open calls: ${this.opened}). Was app.start() awaited?`,
        );
      }
      await sleep(20);
      if (this.closed) throw new Error('fake Slack is closed');
      conn = this.pickConnection();
    }
    const target = conn;
    if (!awaitAck) {
      this.log(`send raw frame on socket #${target.id}: ${describe}`);
      await new Promise<void>((resolve, reject) =>
        target.ws.send(text, (err) => (err ? reject(new Error(`fake Slack: failed to send ${describe}: ${String(err)}`)) : resolve())),
      );
      return undefined;
    }
    const { envelope_id, type, payload } = awaitAck;
    const record: EnvelopeRecord = { envelope_id, type, payload, sentAt: Date.now() };
    this.envelopes.push(record);
    const remaining = Math.max(1, deadline - Date.now());
    return new Promise<any>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(envelope_id);
        reject(
          new Error(
            `fake Slack: ${describe} (envelope ${envelope_id}) was not acked within ${timeoutMs}ms. ` +
              `Slack shows the user an error after 3 s; does the listener call ack()? ` +
              `(connections now: ${this.connections})`,
          ),
        );
      }, remaining);
      this.pending.set(envelope_id, { resolve, reject, timer, record });
      this.log(`send ${type} ${envelope_id} on socket #${target.id}: ${describe}`);
      target.ws.send(text, (err) => {
        if (err) {
          clearTimeout(timer);
          this.pending.delete(envelope_id);
          reject(new Error(`fake Slack: failed to send ${describe}: ${String(err)}`));
        }
      });
    });
  }

  /**
   * A frame as a broken or hostile peer might send it: `frame` is sent as its JSON (or, with `text`, as the string
   * itself). When it carries an `envelope_id`, the result waits for that envelope's ack (up to `timeoutMs`) and is
   * the ack's payload; otherwise it resolves once the frame is written.
   */
  async sendFrame(frame: unknown, opts: { text?: boolean; timeoutMs?: number } = {}): Promise<{ ack?: any }> {
    const text = opts.text && typeof frame === 'string' ? frame : JSON.stringify(frame);
    const id = isObj(frame) && typeof frame.envelope_id === 'string' ? frame.envelope_id : undefined;
    const describe = `raw frame ${text.slice(0, 80)}`;
    if (!id) {
      await this.deliver(text, undefined, this.ackTimeout(opts.timeoutMs), describe);
      return {};
    }
    const type = typeof (frame as Record<string, any>).type === 'string' ? (frame as Record<string, any>).type : 'raw';
    const ack = await this.deliver(
      text,
      { envelope_id: id, type, payload: (frame as Record<string, any>).payload },
      this.ackTimeout(opts.timeoutMs),
      describe,
    );
    return { ack };
  }

  private ackTimeout(t?: number): number {
    return t ?? this.opts.ackTimeoutMs ?? 3000;
  }

  // ------------------------------------------------------------------ senders

  async slashCommand(p: { text: string; user?: string; channel?: string; command?: string; timeoutMs?: number }) {
    const user = p.user ?? 'U00000001';
    const channel = p.channel ?? 'C00000001';
    const command = p.command ?? '/aws';
    const { url: responseUrl } = this.issueResponseUrl({ kind: 'slash_command', channel, user });
    const triggerId = this.issueTrigger();
    const payload = {
      token: 'fake-verification-token',
      team_id: this.teamId,
      team_domain: 'fake-workspace',
      channel_id: channel,
      channel_name: this.channelName(channel),
      user_id: user,
      user_name: this.userName(user),
      command,
      text: p.text,
      api_app_id: this.appId,
      is_enterprise_install: 'false',
      response_url: responseUrl,
      trigger_id: triggerId,
    };
    const { ack, envelopeId } = await this.sendEnvelope(
      'slash_commands',
      payload,
      true,
      {},
      this.ackTimeout(p.timeoutMs),
      `slash command ${command} ${JSON.stringify(p.text)}`,
    );
    return { ack, responseUrl, triggerId, envelopeId };
  }

  async event(
    event: Record<string, unknown>,
    opts?: { retryAttempt?: number; retryReason?: string; eventId?: string; timeoutMs?: number },
  ): Promise<{ eventId: string; envelopeId: string }> {
    const eventId = opts?.eventId ?? randomId('Ev', 10);
    const channel = typeof event.channel === 'string' ? event.channel : undefined;
    const eventTs = typeof event.event_ts === 'string' ? event.event_ts : typeof event.ts === 'string' ? event.ts : undefined;
    // Keep a copy of message-like events so reactions/replies/history work on them.
    if ((event.type === 'message' || event.type === 'app_mention') && channel && typeof event.ts === 'string' && event.subtype === undefined) {
      this.storeMessage({
        channel,
        ts: event.ts,
        thread_ts: typeof event.thread_ts === 'string' ? event.thread_ts : undefined,
        user: typeof event.user === 'string' ? event.user : undefined,
        bot_id: typeof event.bot_id === 'string' ? event.bot_id : undefined,
        text: typeof event.text === 'string' ? event.text : '',
        blocks: Array.isArray(event.blocks) ? event.blocks : undefined,
        ephemeral: false,
        via: 'event',
      });
    }
    const payload = {
      token: 'fake-verification-token',
      team_id: this.teamId,
      context_team_id: this.teamId,
      context_enterprise_id: null,
      api_app_id: this.appId,
      event,
      type: 'event_callback',
      event_id: eventId,
      event_time: eventTs ? Math.floor(Number(eventTs)) : Math.floor(Date.now() / 1000),
      authorizations: [{ enterprise_id: null, team_id: this.teamId, user_id: this.botUserId, is_bot: true, is_enterprise_install: false }],
      is_ext_shared_channel: false,
      event_context: `4-${randomBytes(24).toString('base64url')}`,
    };
    const { envelopeId } = await this.sendEnvelope(
      'events_api',
      payload,
      false,
      { retry_attempt: opts?.retryAttempt ?? 0, retry_reason: opts?.retryReason ?? '' },
      this.ackTimeout(opts?.timeoutMs),
      `event ${String(event.type)}${event.subtype ? `/${String(event.subtype)}` : ''} ${eventId}`,
    );
    return { eventId, envelopeId };
  }

  private richTextBlocks(parts: ({ type: 'user'; user_id: string } | { type: 'text'; text: string })[]): any[] {
    return [
      { type: 'rich_text', block_id: randomBytes(3).toString('base64url').slice(0, 4), elements: [{ type: 'rich_text_section', elements: parts }] },
    ];
  }

  async mention(p: { text: string; user?: string; channel?: string; threadTs?: string }) {
    const user = p.user ?? 'U00000001';
    const channel = p.channel ?? 'C00000001';
    const ts = this.nextTs();
    const event: Record<string, unknown> = {
      client_msg_id: randomUUID(),
      type: 'app_mention',
      text: `<@${this.botUserId}> ${p.text}`,
      user,
      ts,
      team: this.teamId,
      blocks: this.richTextBlocks([
        { type: 'user', user_id: this.botUserId },
        { type: 'text', text: ` ${p.text}` },
      ]),
      channel,
      event_ts: ts,
    };
    if (p.threadTs) {
      event.thread_ts = p.threadTs;
      const parent = this.findMessage(channel, p.threadTs);
      if (parent?.user) event.parent_user_id = parent.user;
    }
    const { eventId } = await this.event(event);
    return { ts, channel, eventId };
  }

  async dm(p: { text: string; user?: string; subtype?: string; botId?: string; channel?: string; threadTs?: string }) {
    const user = p.user ?? (p.botId ? undefined : 'U00000001');
    const channel = p.channel ?? this.dmChannelFor(user ?? this.botUserId);
    const ts = this.nextTs();
    const event: Record<string, unknown> = { type: 'message' };
    if (p.subtype) event.subtype = p.subtype;
    if (p.botId) {
      event.bot_id = p.botId;
      event.app_id = p.botId === this.botId ? this.appId : 'A0OTHERAPP';
    } else {
      event.client_msg_id = randomUUID();
    }
    Object.assign(event, {
      text: p.text,
      ...(user ? { user } : {}),
      ts,
      team: this.teamId,
      blocks: this.richTextBlocks([{ type: 'text', text: p.text }]),
      channel,
      event_ts: ts,
      channel_type: 'im',
    });
    if (p.threadTs) event.thread_ts = p.threadTs;
    const { eventId } = await this.event(event);
    return { ts, channel, eventId };
  }

  async channelMessage(p: { text: string; user?: string; channel?: string; threadTs?: string; subtype?: string }) {
    const user = p.user ?? 'U00000001';
    const channel = p.channel ?? 'C00000001';
    const ts = this.nextTs();
    const event: Record<string, unknown> = {
      ...(p.subtype ? { subtype: p.subtype } : {}),
      client_msg_id: randomUUID(),
      type: 'message',
      text: p.text,
      user,
      ts,
      team: this.teamId,
      blocks: this.richTextBlocks([{ type: 'text', text: p.text }]),
      channel,
      event_ts: ts,
      channel_type: channel.startsWith('G') || this.channels[channel]?.is_private ? 'group' : 'channel',
    };
    if (p.threadTs) {
      event.thread_ts = p.threadTs;
      const parent = this.findMessage(channel, p.threadTs);
      if (parent?.user) event.parent_user_id = parent.user;
    }
    const { eventId } = await this.event(event);
    return { ts, channel, eventId };
  }

  async blockAction(p: BlockActionParams) {
    const user = p.user ?? 'U00000001';
    const isView = p.container?.type === 'view';
    let message: any = p.message;
    let view: StoredView | undefined;
    let element: Record<string, any> | undefined;
    let blockId: string | undefined;
    let stored: StoredMessage | undefined;

    if (isView) {
      view = p.container?.view_id ? this.views.get(p.container.view_id) : undefined;
      if (!view) view = [...this.views.values()].reverse().find((v) => findElementInBlocks(v.view.blocks, p.actionId));
      const found = view ? findElementInBlocks(view.view.blocks, p.actionId) : undefined;
      element = found?.element;
      blockId = found?.blockId;
    } else if (message === undefined) {
      stored = [...this.messages]
        .reverse()
        .find((m) => !m.deleted && m.bot_id === this.botId && (!p.channel || m.channel === p.channel) && findElementInBlocks(m.blocks, p.actionId));
      if (stored) {
        const found = findElementInBlocks(stored.blocks, p.actionId);
        element = found?.element;
        blockId = found?.blockId;
        if (!stored.ephemeral) message = this.messageJson(stored);
      }
    } else {
      const found = findElementInBlocks(message?.blocks, p.actionId);
      element = found?.element;
      blockId = found?.blockId;
    }

    const channel =
      p.channel ?? p.container?.channel_id ?? stored?.channel ?? (typeof message?.channel === 'string' ? message.channel : undefined) ?? 'C00000001';
    if (!isView && message === undefined && !stored) {
      // Synthetic bot message holding the button.
      const ts = this.nextTs();
      blockId = p.blockId ?? 'actions';
      message = {
        type: 'message',
        user: this.botUserId,
        bot_id: this.botId,
        app_id: this.appId,
        ts,
        text: 'message with a button',
        team: this.teamId,
        blocks: [
          {
            type: 'actions',
            block_id: blockId,
            elements: [
              {
                type: 'button',
                action_id: p.actionId,
                text: { type: 'plain_text', text: p.actionId, emoji: true },
                ...(p.value !== undefined ? { value: p.value } : {}),
              },
            ],
          },
        ],
      };
    }
    if (!isView && isObj(message) && typeof message.ts === 'string' && !this.findMessage(channel, message.ts)) {
      // Register a given message so chat.update/delete on it work, as they would in Slack.
      this.storeMessage({
        channel,
        ts: message.ts,
        thread_ts: typeof message.thread_ts === 'string' ? message.thread_ts : undefined,
        user: typeof message.user === 'string' ? message.user : this.botUserId,
        bot_id: typeof message.bot_id === 'string' ? message.bot_id : this.botId,
        text: typeof message.text === 'string' ? message.text : '',
        blocks: Array.isArray(message.blocks) ? message.blocks : undefined,
        ephemeral: false,
        via: 'blockAction',
      });
    }

    const messageTs: string | undefined = p.container?.message_ts ?? stored?.ts ?? (isObj(message) ? message.ts : undefined);
    const isEphemeral = p.container?.is_ephemeral ?? stored?.ephemeral ?? false;
    const container: Record<string, unknown> = isView
      ? { type: 'view', view_id: view?.id ?? p.container?.view_id }
      : { type: 'message', message_ts: messageTs, channel_id: channel, is_ephemeral: isEphemeral };
    if (!isView && isObj(message) && typeof message.thread_ts === 'string') container.thread_ts = message.thread_ts;

    const triggerId = this.issueTrigger(p.triggerId);
    const wantResponseUrl = !isView && p.responseUrl !== false;
    const responseUrl = wantResponseUrl
      ? this.issueResponseUrl({ kind: 'block_actions', channel, user, messageTs, messageEphemeral: isEphemeral }).url
      : '';

    const elType = typeof element?.type === 'string' ? element.type : p.feedback ? 'feedback_buttons' : 'button';
    const action: Record<string, unknown> = {
      type: elType,
      action_id: p.actionId,
      block_id: p.blockId ?? blockId ?? randomBytes(3).toString('base64url'),
      ...(elType === 'button'
        ? {
            text: element?.text ?? { type: 'plain_text', text: p.actionId, emoji: true },
            ...(p.value !== undefined || element?.value !== undefined ? { value: p.value ?? element?.value } : {}),
            ...(element?.style ? { style: element.style } : {}),
          }
        : {}),
      // Slack's feedback buttons: the clicked button's value and text (bolt-js FeedbackButtonsAction).
      ...(elType === 'feedback_buttons'
        ? (() => {
            const chosen = element?.[p.feedback === 'negative' ? 'negative_button' : 'positive_button'];
            return { value: p.value ?? chosen?.value, text: chosen?.text ?? { type: 'plain_text', text: p.feedback === 'negative' ? '👎' : '👍' } };
          })()
        : {}),
      action_ts: this.nextTs(),
      ...p.action,
    };

    const payload: Record<string, unknown> = {
      type: 'block_actions',
      user: { id: user, username: this.userName(user), name: this.userName(user), team_id: this.teamId },
      api_app_id: this.appId,
      token: 'fake-verification-token',
      container,
      trigger_id: triggerId,
      team: { id: this.teamId, domain: 'fake-workspace' },
      enterprise: null,
      is_enterprise_install: false,
    };
    if (isView) {
      payload.view = view?.view ?? { id: p.container?.view_id, type: 'home', blocks: [], state: { values: {} } };
    } else {
      payload.channel = { id: channel, name: this.channelName(channel) };
      if (message !== undefined && !isEphemeral) payload.message = message;
      else if (message !== undefined && p.message !== undefined) payload.message = message;
    }
    payload.state = { values: p.stateValues ?? {} };
    if (wantResponseUrl) payload.response_url = responseUrl;
    payload.actions = [action];

    const { ack, envelopeId } = await this.sendEnvelope(
      'interactive',
      payload,
      false,
      {},
      this.ackTimeout(p.timeoutMs),
      `block action ${p.actionId}`,
    );
    return { ack, responseUrl, triggerId, envelopeId };
  }

  async assistantThreadStarted(p: { user?: string; context?: string } = {}) {
    const user = p.user ?? 'U00000001';
    const channel = this.dmChannelFor(user);
    const threadTs = this.nextTs();
    // The thread's root, as Slack makes it when the pane opens (subtype assistant_app_thread; replies read it).
    this.storeMessage({ channel, ts: threadTs, user, text: 'New chat', ephemeral: false, via: 'assistant' });
    this.assistantThreads.set(`${channel} ${threadTs}`, {});
    const event = {
      type: 'assistant_thread_started',
      assistant_thread: {
        user_id: user,
        context: { channel_id: p.context ?? 'C00000001', team_id: this.teamId, enterprise_id: null },
        channel_id: channel,
        thread_ts: threadTs,
      },
      event_ts: this.nextTs(),
    };
    const { eventId } = await this.event(event);
    return { channel, threadTs, eventId };
  }

  async messageAction(p: {
    callbackId: string;
    message: { ts: string; text?: string; user?: string; thread_ts?: string };
    channel?: string;
    user?: string;
    timeoutMs?: number;
  }) {
    const user = p.user ?? 'U00000001';
    const channel = p.channel ?? 'C00000001';
    const stored = this.findMessage(channel, p.message.ts);
    const message = stored
      ? this.messageJson(stored)
      : {
          type: 'message',
          ts: p.message.ts,
          text: p.message.text ?? '',
          ...(p.message.user ? { user: p.message.user } : {}),
          ...(p.message.thread_ts ? { thread_ts: p.message.thread_ts } : {}),
        };
    const { url: responseUrl } = this.issueResponseUrl({ kind: 'message_action', channel, user });
    // https://api.slack.com/reference/interaction-payloads/shortcuts (message shortcut); bolt-js MessageShortcut.
    const payload = {
      type: 'message_action',
      token: 'fake-verification-token',
      action_ts: this.nextTs(),
      team: { id: this.teamId, domain: 'fake-workspace' },
      user: { id: user, username: this.userName(user), name: this.userName(user), team_id: this.teamId },
      channel: { id: channel, name: this.channelName(channel) },
      is_enterprise_install: false,
      enterprise: null,
      callback_id: p.callbackId,
      trigger_id: this.issueTrigger(),
      response_url: responseUrl,
      message_ts: p.message.ts,
      message,
    };
    const { ack, envelopeId } = await this.sendEnvelope(
      'interactive',
      payload,
      false,
      {},
      this.ackTimeout(p.timeoutMs),
      `message shortcut ${p.callbackId}`,
    );
    return { ack, responseUrl, envelopeId };
  }

  async viewSubmission(p: {
    callbackId: string;
    values: Record<string, Record<string, any>>;
    privateMetadata?: string;
    user?: string;
    viewId?: string;
    timeoutMs?: number;
  }): Promise<any> {
    const user = p.user ?? 'U00000001';
    const stored = p.viewId
      ? this.views.get(p.viewId)
      : [...this.views.values()].reverse().find((v) => v.type === 'modal' && v.view.callback_id === p.callbackId);
    const base = stored?.view ?? {
      id: `V${String(++this.viewSeq).padStart(9, '0')}`,
      team_id: this.teamId,
      type: 'modal',
      blocks: [],
      private_metadata: '',
      callback_id: p.callbackId,
      hash: `${Math.floor(Date.now() / 1000)}.${randomBytes(4).toString('hex')}`,
      title: { type: 'plain_text', text: 'Modal', emoji: true },
      clear_on_close: false,
      notify_on_close: false,
      close: null,
      submit: { type: 'plain_text', text: 'Submit', emoji: true },
      previous_view_id: null,
      root_view_id: null,
      app_id: this.appId,
      external_id: '',
      app_installed_team_id: this.teamId,
      bot_id: this.botId,
    };
    const view = {
      ...base,
      callback_id: p.callbackId,
      private_metadata: p.privateMetadata ?? base.private_metadata ?? '',
      state: { values: p.values },
    };
    const payload = {
      type: 'view_submission',
      team: { id: this.teamId, domain: 'fake-workspace' },
      user: { id: user, username: this.userName(user), name: this.userName(user), team_id: this.teamId },
      api_app_id: this.appId,
      token: 'fake-verification-token',
      trigger_id: this.issueTrigger(),
      view,
      response_urls: [],
      is_enterprise_install: false,
      enterprise: null,
    };
    const { ack } = await this.sendEnvelope('interactive', payload, true, {}, this.ackTimeout(p.timeoutMs), `view_submission ${p.callbackId}`);
    return ack;
  }

  // ------------------------------------------------------------------ waiting

  async waitFor(predicate: () => boolean, timeoutMs = 5000, what = 'condition'): Promise<void> {
    const start = Date.now();
    for (;;) {
      if (predicate()) return;
      if (Date.now() - start >= timeoutMs) {
        const recent = this.calls.slice(-10).map((c) => `${c.method}${c.response.ok ? '' : `(${String(c.response.error)})`}`);
        throw new Error(
          `fake Slack: timed out after ${timeoutMs}ms waiting for ${what}. ` +
            `Recent API calls: [${recent.join(', ')}]; response_url posts: ${this.responses.length}; ` +
            `connections: ${this.connections}; block violations: ${this.blockViolations.length}`,
        );
      }
      if (this.closed) throw new Error(`fake Slack closed while waiting for ${what}`);
      await sleep(10);
    }
  }

  async waitForCall(method: string, predicate?: (c: ApiCall) => boolean, timeoutMs = 5000): Promise<ApiCall> {
    let found: ApiCall | undefined;
    await this.waitFor(
      () => {
        found = this.calls.find((c) => c.method === method && (!predicate || predicate(c)));
        return found !== undefined;
      },
      timeoutMs,
      `a ${method} call${predicate ? ' matching the predicate' : ''} (seen ${this.calls.filter((c) => c.method === method).length} ${method} calls)`,
    );
    return found as ApiCall;
  }

  async waitForResponse(predicate?: (r: ResponseUrlPost) => boolean, timeoutMs = 5000): Promise<ResponseUrlPost> {
    let found: ResponseUrlPost | undefined;
    await this.waitFor(
      () => {
        found = this.responses.find((r) => !predicate || predicate(r));
        return found !== undefined;
      },
      timeoutMs,
      `a response_url post${predicate ? ' matching the predicate' : ''} (seen ${this.responses.length})`,
    );
    return found as ResponseUrlPost;
  }

  // ------------------------------------------------------------------ faults

  failNext(method: string, answer: FailAnswer, times = 1): void {
    const q = this.failures.get(method) ?? [];
    for (let i = 0; i < times; i++) q.push(answer);
    this.failures.set(method, q);
  }

  delay(method: string, ms: number, times = Infinity): void {
    if (ms <= 0 || times <= 0) this.delays.delete(method);
    else this.delays.set(method, { ms, left: times });
  }

  get delayed(): number {
    return this.delayedNow;
  }

  disconnectAll(reason: 'refresh_requested' | 'warning' | 'link_disabled' = 'refresh_requested'): void {
    for (const c of this.conns) {
      if (c.ws.readyState !== WebSocket.OPEN) continue;
      c.draining = true;
      c.ws.send(JSON.stringify({ type: 'disconnect', reason, debug_info: { host: `applink-fake-${c.id}` } }));
    }
    this.log(`sent disconnect (${reason}) to ${this.conns.length} socket(s)`);
  }

  dropAll(): void {
    for (const c of this.conns) c.ws.terminate();
    this.log('dropped all sockets');
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(new Error(`fake Slack closed before envelope ${id} (${p.record.type}) was acked`));
    }
    this.pending.clear();
    // Close handshake first (a client that is itself closing, e.g. right after app.stop(), finishes cleanly
    // instead of logging a WebSocket error), then terminate whatever is left after a short grace period.
    for (const c of this.conns) if (c.ws.readyState === WebSocket.OPEN) c.ws.close(1001, 'fake Slack closing');
    const graceEnd = Date.now() + 500;
    while (this.conns.some((c) => c.ws.readyState !== WebSocket.CLOSED) && Date.now() < graceEnd) await sleep(10);
    for (const c of this.conns) c.ws.terminate();
    this.conns = [];
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    for (const s of this.rawSockets) s.destroy();
    await closed;
    this.log('closed');
  }
}

export async function startFakeSlack(opts: FakeSlackOptions = {}): Promise<FakeSlack> {
  const botUserId = opts.botUserId ?? 'UBOT0001';
  if (botUserId === 'U00000001' || botUserId === 'U00000002') {
    throw new Error('startFakeSlack: botUserId must differ from the default test users (U00000001, U00000002)');
  }
  const fake = new FakeSlackImpl(opts);
  await fake.listen();
  return fake;
}
