import type { App } from '@slack/bolt';
import { slashCommand } from '../../../ids.js';
import { renderError } from '../../../render/index.js';
import type { SlackDeps } from '../../deps.js';
import { failSoft } from '../soft.js';
import { createAwsCommand, type CommandArgs } from './aws.js';

export function register(app: App, deps: SlackDeps): void {
  app.command(
    slashCommand,
    failSoft<CommandArgs>(deps.log, 'slash', createAwsCommand(deps), ({ ack }) => ack({ response_type: 'ephemeral', ...renderError() })),
  );
}
