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

/**
 * Bot events the manifest subscribes to, as the manifest names them. `message.channels` and `message.groups` (every
 * message in the public and private channels the bot is in) are for follow-ups in the threads it answered in; every
 * other message is dropped as it arrives (src/slack/privacy.ts).
 */
export const botEvents = [
  'app_mention',
  'message.im',
  'message.channels',
  'message.groups',
  'app_home_opened',
  'assistant_thread_started',
  'assistant_thread_context_changed',
] as const;

/**
 * The events of Slack's assistant pane (Agents & AI Apps), handled by Bolt's `Assistant` (src/slack/listeners/assistant/),
 * not by `app.event`; its questions arrive as `message.im` in the pane's thread.
 */
export const assistantEvents = ['assistant_thread_started', 'assistant_thread_context_changed'] as const;

export const actions = {
  /** "Open a card": a related service, a suggestion, a category, a tip's source. `open_entry:<id>`, value = id. */
  openEntry: 'open_entry',
  /** The documentation link button; Slack still sends an action for it, which is only acknowledged. */
  docsLink: 'docs_link',
  /** "Share in channel" on an ephemeral slash-command reply; value = the query. */
  share: 'share_in_channel',
  /** The help card's button. */
  help: 'show_help',
  /** Feedback on an answer: Slack's own 👍/👎 (a `feedback_buttons` element); its value says which was clicked. */
  feedback: 'feedback',
  /** 👍 and 👎 as plain buttons: on cards in a modal, and on older messages still in Slack. */
  feedbackUp: 'feedback_up',
  feedbackDown: 'feedback_down',
  /** "Suggest this topic" on a no-answer reply. */
  suggestTopic: 'suggest_topic',
  /** App Home, for ADMIN_USERS: follow-ups without a mention off or on in the whole workspace; value = 'on' | 'off'. */
  followUpsEverywhere: 'followups_everywhere',
  /** A service card's depth: its limits, its how-tos, its pitfalls; value = the entry id. */
  depthLimits: 'depth_limits',
  depthHowto: 'depth_howto',
  depthPitfalls: 'depth_pitfalls',
  /** "Compare with…" on a service card: a select; each option's value = `<entry id> <other id>`. */
  compareWith: 'compare_with',
  /** "Back to the overview" on a depth view drawn in place of its card; value = the entry id. */
  overview: 'back_to_overview',
  /** "Post in thread" on a private thread review; value = where to post and the services reviewed. */
  postReview: 'post_review',
} as const;

/** Shortcuts, by callback_id (the manifest's `features.shortcuts`). */
export const shortcuts = {
  /** "Review AWS usage" on a message: a private checklist for the services its thread mentions. */
  reviewThread: 'review_aws_usage',
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
export const botScopes = [
  'app_mentions:read',
  'chat:write',
  'chat:write.public',
  'commands',
  'im:history',
  'channels:history',
  'groups:history',
  'assistant:write',
] as const;
