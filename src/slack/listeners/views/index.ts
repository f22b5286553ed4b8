import type { App, ViewSubmitAction } from '@slack/bolt';
import { views } from '../../../ids.js';
import type { SlackDeps } from '../../deps.js';
import { failSoft } from '../soft.js';
import { createFeedbackReasonSubmission, type ViewArgs } from './feedbackReason.js';

/** Modal submissions. A failure is logged; the modal is already closed, so there is no one to apologize to. */
export function register(app: App, deps: SlackDeps): void {
  app.view<ViewSubmitAction>(views.feedbackReason, failSoft<ViewArgs>(deps.log, 'modal', createFeedbackReasonSubmission(deps)));
}
