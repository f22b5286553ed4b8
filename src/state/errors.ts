/**
 * A state store that cannot be opened at start for a reason an operator can fix (an unreachable Redis, a malformed
 * STATE_URL, a DATA_DIR that is not writable): the message is one line naming the variable, "STATE_URL: …". It is
 * a ConfigError, so the start's handling of bad settings prints `Cannot start: STATE_URL: …` and exits with code 2.
 * Kept apart from the stores so reading it loads neither of them.
 */
import { ConfigError } from '../config.js';

export class StateStartError extends ConfigError {
  constructor(
    override readonly variable: 'STATE_URL' | 'DATA_DIR',
    problem: string,
    options?: { cause?: unknown },
  ) {
    super(variable, problem);
    this.name = 'StateStartError';
    if (options && 'cause' in options) this.cause = options.cause;
  }
}
