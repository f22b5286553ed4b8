/**
 * Failing soft, the one way every listener does it: a handler that throws (the Web API refused the reply, an
 * unexpected payload) is logged once with its error and the surface, and the person gets the short apology
 * where they asked, if the surface has a way to reach them: never a crash, never silence.
 *
 * It also notes, on Bolt's per-envelope context, that a listener took the envelope and whether it acked it: the
 * gate (src/slack/app.ts) acks whatever no listener acked (an action or a modal no listener matches), so Slack never
 * shows the person an error. Every listener is registered through failSoft, so the note is always there.
 */
import type { Logger } from '../../logger.js';

const handledKey = 'awsGuideHandled';
const ackedKey = 'awsGuideAcked';

type Context = Record<string, unknown>;

/** Whether Slack's Web API itself refused or failed the call (the way back to the person is what broke). */
export function isSlackApiError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('slack_webapi_');
}
type AckFn = (response?: unknown) => Promise<void>;

/** Whether a listener ran for this envelope, and whether it (or its apology) acked it. */
export function handling(context: Context | undefined): { handled: boolean; acked: boolean } {
  return { handled: context?.[handledKey] === true, acked: context?.[ackedKey] === true };
}

export function failSoft<A>(
  log: Logger,
  surface: string,
  handler: (args: A) => Promise<void>,
  apologize?: (args: A, err: unknown) => Promise<unknown>,
): (args: A) => Promise<void> {
  return async (given) => {
    const args = noted(given);
    try {
      await handler(args);
    } catch (err) {
      log.error({ err, surface }, 'reply failed');
      if (!apologize) return;
      try {
        await apologize(args, err);
      } catch (again) {
        // Whatever failed took the way back to the person with it; the error is logged above.
        log.debug({ err: again, surface }, 'the apology could not be sent either');
      }
    }
  };
}

/** The listener's arguments with its `ack` noting, on the context, that it was called. */
function noted<A>(args: A): A {
  const { context, ack } = args as { context?: Context; ack?: AckFn };
  if (!context) return args;
  context[handledKey] = true;
  if (typeof ack !== 'function') return args;
  return {
    ...args,
    ack: (response?: unknown) => {
      context[ackedKey] = true;
      return ack(response);
    },
  };
}
