/** Every listener of every Slack surface, registered on an App with one signature: `registerListeners(app, deps)`. */
import type { App } from '@slack/bolt';
import type { SlackDeps } from '../deps.js';
import { register as registerActions } from './actions/index.js';
import { register as registerAssistant } from './assistant/index.js';
import { register as registerCommands } from './commands/index.js';
import { register as registerEvents } from './events/index.js';
import { register as registerShortcuts } from './shortcuts/index.js';
import { register as registerViews } from './views/index.js';

export function registerListeners(app: App, deps: SlackDeps): void {
  // The assistant pane first: Bolt's Assistant is middleware that takes its threads' events before any listener.
  registerAssistant(app, deps);
  registerCommands(app, deps);
  registerEvents(app, deps);
  registerActions(app, deps);
  registerViews(app, deps);
  registerShortcuts(app, deps);
}
