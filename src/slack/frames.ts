/**
 * A guard where Socket Mode frames are read. `@slack/socket-mode` (3.x) reads each WebSocket message in
 * `SocketModeClient.onWebSocketMessage`, bound in its constructor as the client's one `ws_message` listener. It
 * trusts the frame's shape: a JSON `null` frame (`event.type` of null), or an `events_api` envelope without
 * `payload.event` (`event.payload.event.type`), throws inside that async listener, and the rejection nobody handles
 * ends the process (exit 1). Slack does not send such frames today; a bad frame must still not end the bot.
 *
 * `guardFrames` takes the client's own listener out and puts a guard in its place: a frame of the wrong shape is
 * logged once at warn and dropped, acked first when it carries an envelope id (so Slack does not send it again);
 * a good frame goes to the client's listener as before, and anything that listener still throws is logged, never
 * left to end the process. The connection stays open either way. No file of node_modules is changed.
 */
import type { SocketModeReceiver } from '@slack/bolt';
import type { Logger } from '../logger.js';
import type { FrameGate } from './privacy.js';

export type SocketClient = SocketModeReceiver['client'];

type FrameListener = (data: unknown, isBinary: boolean) => unknown;

/** What is wrong with a frame, or undefined for a frame the client can read. */
export function frameProblem(frame: unknown): string | undefined {
  if (frame === null || typeof frame !== 'object' || Array.isArray(frame)) return 'not a JSON object';
  const f = frame as { type?: unknown; envelope_id?: unknown; payload?: unknown };
  if (typeof f.type !== 'string') return 'no type';
  if (f.type === 'hello' || f.type === 'disconnect') return undefined;
  if (typeof f.envelope_id !== 'string' || !f.envelope_id) return `a ${f.type} envelope without an envelope_id`;
  if (f.payload === null || typeof f.payload !== 'object' || Array.isArray(f.payload)) return `a ${f.type} envelope without a payload`;
  if (f.type === 'events_api') {
    const event = (f.payload as { event?: unknown }).event;
    if (event === null || typeof event !== 'object' || typeof (event as { type?: unknown }).type !== 'string')
      return 'an events_api envelope without an event';
  }
  return undefined;
}

/**
 * `admit`, when given, reads each good frame first: a frame it refuses is acked (when it carries an envelope id)
 * and dropped without a word logged (src/slack/privacy.ts: channel messages outside the bot's threads).
 */
export function guardFrames(client: SocketClient, log: Logger, admit?: FrameGate): void {
  const own = client.listeners('ws_message') as FrameListener[];
  if (own.length !== 1) {
    // Another version of @slack/socket-mode: say so at start rather than guard the wrong thing silently.
    log.warn({ listeners: own.length }, 'Socket Mode frames are read in an unexpected way: bad frames are not guarded');
    return;
  }
  const read = own[0]!;
  client.removeListener('ws_message', read);
  client.on('ws_message', (data: unknown, isBinary: boolean) => {
    try {
      let frame: unknown;
      if (!isBinary) {
        const checked = check(data);
        if ('problem' in checked) return drop(client, log, checked);
        frame = checked.frame;
      }
      const pass = (): void => {
        Promise.resolve(read.call(client, data, isBinary)).catch((err: unknown) => {
          log.warn({ err }, 'a Socket Mode frame could not be handled: ignored');
        });
      };
      const admitted = admit && !isBinary ? admit(frame) : true;
      if (admitted === true) return pass();
      if (admitted === false) return refuse(client, frame);
      admitted.then(
        (ok) => (ok ? pass() : refuse(client, frame)),
        () => refuse(client, frame),
      );
    } catch (err) {
      log.warn({ err }, 'a Socket Mode frame could not be handled: ignored');
    }
  });
}

/** The problem of a frame as it came off the socket (text or bytes), with its envelope id when it has one; or the frame. */
function check(data: unknown): { problem: string; envelopeId?: string; type?: string; size: number } | { frame: unknown } {
  const text =
    typeof data === 'string' ? data : data instanceof Uint8Array || data instanceof ArrayBuffer ? new TextDecoder().decode(data) : undefined;
  if (text === undefined) return { problem: 'not text', size: 0 };
  let frame: unknown;
  try {
    frame = JSON.parse(text);
  } catch {
    return { problem: 'not JSON', size: text.length };
  }
  const problem = frameProblem(frame);
  if (!problem) return { frame };
  const f = (frame ?? {}) as { envelope_id?: unknown; type?: unknown };
  return {
    problem,
    size: text.length,
    ...(typeof f.envelope_id === 'string' && f.envelope_id ? { envelopeId: f.envelope_id } : {}),
    ...(typeof f.type === 'string' ? { type: f.type } : {}),
  };
}

/**
 * A frame `admit` refused: acked, so Slack does not send it again, and nothing else. The ack goes on the client's
 * socket itself (`SlackWebSocket.send`, private): the client's own `send` logs each ack at debug level, and a
 * dropped message must leave no line at all.
 */
function refuse(client: SocketClient, frame: unknown): void {
  const id = (frame as { envelope_id?: unknown } | null)?.envelope_id;
  if (typeof id !== 'string' || !id) return;
  const ack = JSON.stringify({ envelope_id: id, payload: {} });
  const socket = (client as unknown as { websocket?: { send?(data: string, cb: (err?: Error) => void): void } }).websocket;
  if (typeof socket?.send === 'function') socket.send(ack, () => undefined);
  else (client as unknown as { send(id: string): Promise<void> }).send(id).catch(() => undefined);
}

function drop(client: SocketClient, log: Logger, bad: { problem: string; envelopeId?: string; type?: string; size: number }): void {
  log.warn({ envelopeId: bad.envelopeId, type: bad.type, bytes: bad.size }, `Socket Mode frame ignored: ${bad.problem}`);
  if (bad.envelopeId) {
    // `send` is how the client acks an envelope (its own ack() calls it); its type marks it private.
    (client as unknown as { send(id: string): Promise<void> })
      .send(bad.envelopeId)
      .catch((err: unknown) => log.debug({ err }, 'the ack of an ignored frame could not be sent'));
  }
}
