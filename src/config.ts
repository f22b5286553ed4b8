/**
 * Configuration from the environment (CONTRACT.md §3), validated once at start. `loadConfig` is pure: it takes an
 * env object and returns a Config or throws a ConfigError whose message is one line naming the variable.
 */
import { Cron } from 'croner';
import { cronZone, isUtc } from './tips/schedule.js';

export interface Config {
  /** Both Slack tokens, or none: without them the bot runs the local console. */
  slack?: { botToken: string; appToken: string; apiUrl?: string };
  tips: { channels: string[]; schedule: string; timezone: string };
  dataDir: string;
  logLevel: string;
  stateUrl?: string;
  httpPort?: number;
  adminUsers: string[];
  feedback: { enabled: boolean; retentionDays: number };
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    problem: string,
  ) {
    super(`${variable}: ${problem}`);
    this.name = 'ConfigError';
  }
}

export const defaultTipSchedule = '0 9 * * 1-5';
const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

type Env = Record<string, string | undefined>;

export function loadConfig(env: Env): Config {
  const get = (name: string): string | undefined => {
    const v = env[name]?.trim();
    return v ? v : undefined;
  };

  const botToken = get('SLACK_BOT_TOKEN');
  const appToken = get('SLACK_APP_TOKEN');
  if (botToken && !botToken.startsWith('xoxb-')) throw new ConfigError('SLACK_BOT_TOKEN', 'must be a bot token starting with "xoxb-"');
  if (appToken && !appToken.startsWith('xapp-')) throw new ConfigError('SLACK_APP_TOKEN', 'must be an app-level token starting with "xapp-"');
  if (botToken && !appToken) throw new ConfigError('SLACK_APP_TOKEN', 'is missing: set both Slack tokens, or neither for the local console');
  if (appToken && !botToken) throw new ConfigError('SLACK_BOT_TOKEN', 'is missing: set both Slack tokens, or neither for the local console');

  let apiUrl = get('SLACK_API_URL');
  if (apiUrl) {
    if (!/^https?:\/\/[^\s/]+/.test(apiUrl) || !URL.canParse(apiUrl)) throw new ConfigError('SLACK_API_URL', `"${apiUrl}" is not an http(s) URL`);
    if (!apiUrl.endsWith('/')) apiUrl += '/';
  }

  const timezone = get('TIP_TIMEZONE') ?? 'UTC';
  try {
    // UTC needs no check (nor the time-zone data a check loads).
    if (!isUtc(timezone)) new Intl.DateTimeFormat('en-US', { timeZone: timezone });
  } catch {
    throw new ConfigError('TIP_TIMEZONE', `"${timezone}" is not an IANA time zone (e.g. Europe/Berlin, America/New_York, UTC)`);
  }
  const schedule = get('TIP_SCHEDULE') ?? defaultTipSchedule;
  try {
    new Cron(schedule, { ...cronZone(timezone), paused: true }).stop();
  } catch (err) {
    throw new ConfigError('TIP_SCHEDULE', `"${schedule}" is not a cron expression (5 fields, or 6 with seconds): ${(err as Error).message}`);
  }
  const channels = list(get('TIP_CHANNEL'));
  const bad = channels.find((c) => !/^[CGD][A-Z0-9]{2,}$/.test(c));
  if (bad) throw new ConfigError('TIP_CHANNEL', `"${bad}" is not a channel id (like C0123ABCD); use ids, not #names`);

  const logLevel = (get('LOG_LEVEL') ?? 'info').toLowerCase();
  if (!logLevels.includes(logLevel)) throw new ConfigError('LOG_LEVEL', `"${logLevel}" is not one of ${logLevels.join(', ')}`);

  const stateUrl = get('STATE_URL');
  if (stateUrl && !/^rediss?:\/\/./.test(stateUrl)) throw new ConfigError('STATE_URL', 'must be a redis:// or rediss:// URL');

  const port = get('HTTP_PORT');
  let httpPort: number | undefined;
  if (port !== undefined) {
    httpPort = Number(port);
    if (!Number.isInteger(httpPort) || httpPort < 0 || httpPort > 65535)
      throw new ConfigError('HTTP_PORT', `"${port}" is not a port number (0-65535)`);
  }

  const adminUsers = list(get('ADMIN_USERS'));
  const badUser = adminUsers.find((u) => !/^[UW][A-Z0-9]{2,}$/.test(u));
  if (badUser) throw new ConfigError('ADMIN_USERS', `"${badUser}" is not a Slack user id (like U0123ABCD)`);

  const feedback = (get('FEEDBACK') ?? 'on').toLowerCase();
  if (!['on', 'off'].includes(feedback)) throw new ConfigError('FEEDBACK', `must be "on" or "off", not "${feedback}"`);
  const days = get('FEEDBACK_RETENTION_DAYS') ?? '90';
  const retentionDays = Number(days);
  if (!Number.isInteger(retentionDays) || retentionDays < 1)
    throw new ConfigError('FEEDBACK_RETENTION_DAYS', `"${days}" is not a whole number of days (≥ 1)`);

  return {
    ...(botToken && appToken ? { slack: { botToken, appToken, ...(apiUrl ? { apiUrl } : {}) } } : {}),
    tips: { channels, schedule, timezone },
    dataDir: get('DATA_DIR') ?? './data',
    logLevel,
    ...(stateUrl ? { stateUrl } : {}),
    ...(httpPort !== undefined ? { httpPort } : {}),
    adminUsers,
    feedback: { enabled: feedback === 'on', retentionDays },
  };
}

function list(v: string | undefined): string[] {
  return (v ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}
