import type { Config } from '../config.js';
import type { Core } from '../core.js';

/** Starts the Slack app; resolves with the exit code once it has shut down. */
export async function startSlack(_config: Config, _core: Core): Promise<number> {
  console.error('The Slack app is not built yet; unset SLACK_BOT_TOKEN and SLACK_APP_TOKEN to use the local console.');
  return 2;
}
