import type { App, ViewSubmitAction } from '@slack/bolt';
import type { FeedbackLog } from '../../../feedback/store.js';
import type { SlackDeps } from '../../deps.js';
import { views } from '../../ids.js';
import { createFeedbackReasonSubmission } from './feedbackReason.js';

/** Modal submissions. `feedback` is the feedback log, or undefined with FEEDBACK=off (then submissions are only acked). */
export function register(app: App, deps: SlackDeps, feedback?: FeedbackLog): void {
  app.view<ViewSubmitAction>(views.feedbackReason, createFeedbackReasonSubmission(deps, feedback));
}
