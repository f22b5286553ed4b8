/**
 * Failing soft, the one way every listener does it: a handler that throws (the Web API refused the reply, an
 * unexpected payload) is logged once with its error and the surface, and the person gets the short apology
 * where they asked, if the surface has a way to reach them: never a crash, never silence.
 */
import type { Logger } from '../../logger.js';

/** Whether Slack's Web API itself refused or failed the call (the way back to the person is what broke). */
export function isSlackApiError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('slack_webapi_');
}

export function failSoft<A>(
  log: Logger,
  surface: string,
  handler: (args: A) => Promise<void>,
  apologize?: (args: A, err: unknown) => Promise<unknown>,
): (args: A) => Promise<void> {
  return async (args) => {
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
