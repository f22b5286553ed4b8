/**
 * Every Slack identifier the bot uses, named once. Listeners register these, renderers put them on buttons,
 * and a test checks `manifest.yml` against them so the two cannot drift.
 */
export const slashCommand = '/aws';

export const events = {
  appMention: 'app_mention',
  message: 'message',
  appHomeOpened: 'app_home_opened',
} as const;

/** Bot events the manifest subscribes to, as the manifest names them. */
export const botEvents = ['app_mention', 'message.im', 'app_home_opened'] as const;

export const actions = {
  /** "Open a card": a related service, a suggestion, a category, a tip's source. `open_entry:<id>`, value = id. */
  openEntry: 'open_entry',
  /** The documentation link button; Slack still sends an action for it, which is only acknowledged. */
  docsLink: 'docs_link',
  /** "Share in channel" on an ephemeral slash-command reply; value = the query. */
  share: 'share_in_channel',
  /** The help card's button. */
  help: 'show_help',
  /** Feedback on an answer: 👍 and 👎. */
  feedbackUp: 'feedback_up',
  feedbackDown: 'feedback_down',
  /** "Suggest this topic" on a no-answer reply. */
  suggestTopic: 'suggest_topic',
} as const;

export const views = {
  /** The 👎 "what was missing?" modal. */
  feedbackReason: 'feedback_reason',
} as const;

/** The action_id of an "open entry" button: unique per entry, so one message can hold many. */
export function openEntryActionId(id: string): string {
  return `${actions.openEntry}:${id}`;
}

/** What the listener of every "open entry" button matches. */
export const openEntryPattern = new RegExp(`^${actions.openEntry}:`);

/** Bot scopes the app needs, each for one thing it does (the README says which). */
export const botScopes = ['app_mentions:read', 'chat:write', 'chat:write.public', 'commands', 'im:history'] as const;
