import type { App } from '@slack/bolt';
import { slashCommand } from '../../ids.js';
import type { SlackDeps } from '../../deps.js';
import { createAwsCommand, type CommandExtras } from './aws.js';

export function register(app: App, deps: SlackDeps, extras: CommandExtras = {}): void {
  app.command(slashCommand, createAwsCommand(deps, extras));
}
