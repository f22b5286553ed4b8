/**
 * loadConfig: the defaults, one ConfigError naming the variable for each bad value (one line: that is what
 * `npm start` prints before exiting with code 2), and SLACK_API_URL normalised for the Web API client.
 */
import { describe, expect, it } from 'vitest';
import { ConfigError, defaultTipSchedule, loadConfig } from '../src/config.js';

const tokens = { SLACK_BOT_TOKEN: 'xoxb-1-abc', SLACK_APP_TOKEN: 'xapp-1-A1-2-def' };

function configError(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error(`no ConfigError for ${JSON.stringify(env)}`);
}

describe('loadConfig', () => {
  it('defaults: no tokens (the local console), the default tip schedule in UTC, ./data, info, feedback on', () => {
    const c = loadConfig({});
    expect(c.slack).toBeUndefined();
    expect(c.tips).toEqual({ channels: [], schedule: defaultTipSchedule, timezone: 'UTC' });
    expect(c.dataDir).toBe('./data');
    expect(c.logLevel).toBe('info');
    expect(c.stateUrl).toBeUndefined();
    expect(c.httpPort).toBeUndefined();
    expect(c.adminUsers).toEqual([]);
    expect(c.feedback).toEqual({ enabled: true, retentionDays: 90 });
  });

  it('blank values count as unset', () => {
    expect(loadConfig({ SLACK_BOT_TOKEN: '  ', SLACK_APP_TOKEN: '', TIP_SCHEDULE: ' ', LOG_LEVEL: '' })).toEqual(loadConfig({}));
  });

  it('both tokens: the Slack app, with the real Slack API unless SLACK_API_URL is set', () => {
    expect(loadConfig(tokens).slack).toEqual({ botToken: 'xoxb-1-abc', appToken: 'xapp-1-A1-2-def' });
    expect(loadConfig({ ...tokens, SLACK_BOT_TOKEN: '  xoxb-1-abc  ' }).slack?.botToken).toBe('xoxb-1-abc');
  });

  it('SLACK_API_URL gets a trailing slash (the client appends the method name to it)', () => {
    expect(loadConfig({ ...tokens, SLACK_API_URL: 'http://127.0.0.1:3000/api' }).slack?.apiUrl).toBe('http://127.0.0.1:3000/api/');
    expect(loadConfig({ ...tokens, SLACK_API_URL: 'https://slack.example.com/api/' }).slack?.apiUrl).toBe('https://slack.example.com/api/');
  });

  it('reads lists, levels, ports and settings', () => {
    const c = loadConfig({
      ...tokens,
      TIP_CHANNEL: 'C0123ABCD, G0456EFGH',
      TIP_SCHEDULE: '0 30 8 * * 1-5',
      TIP_TIMEZONE: 'Europe/Berlin',
      LOG_LEVEL: 'DEBUG',
      DATA_DIR: '/var/lib/aws-guide',
      STATE_URL: 'redis://cache:6379',
      HTTP_PORT: '8080',
      ADMIN_USERS: 'U0123ABCD,W0456EFGH',
      FEEDBACK: 'OFF',
      FEEDBACK_RETENTION_DAYS: '30',
    });
    expect(c.tips).toEqual({ channels: ['C0123ABCD', 'G0456EFGH'], schedule: '0 30 8 * * 1-5', timezone: 'Europe/Berlin' });
    expect(c.logLevel).toBe('debug');
    expect(c.dataDir).toBe('/var/lib/aws-guide');
    expect(c.stateUrl).toBe('redis://cache:6379');
    expect(c.httpPort).toBe(8080);
    expect(c.adminUsers).toEqual(['U0123ABCD', 'W0456EFGH']);
    expect(c.feedback).toEqual({ enabled: false, retentionDays: 30 });
  });

  const bad: [string, Record<string, string>][] = [
    ['SLACK_BOT_TOKEN', { ...tokens, SLACK_BOT_TOKEN: 'bad' }],
    ['SLACK_BOT_TOKEN', { ...tokens, SLACK_BOT_TOKEN: 'xoxp-a-user-token' }],
    ['SLACK_BOT_TOKEN', { SLACK_APP_TOKEN: tokens.SLACK_APP_TOKEN }],
    ['SLACK_APP_TOKEN', { ...tokens, SLACK_APP_TOKEN: 'xoxb-not-an-app-token' }],
    ['SLACK_APP_TOKEN', { SLACK_BOT_TOKEN: tokens.SLACK_BOT_TOKEN }],
    ['SLACK_API_URL', { ...tokens, SLACK_API_URL: 'not a url' }],
    ['SLACK_API_URL', { ...tokens, SLACK_API_URL: 'ftp://example.com/api/' }],
    ['TIP_TIMEZONE', { TIP_TIMEZONE: 'Mars/Base' }],
    ['TIP_SCHEDULE', { TIP_SCHEDULE: 'not cron' }],
    ['TIP_SCHEDULE', { TIP_SCHEDULE: '61 * * * *' }],
    ['TIP_CHANNEL', { TIP_CHANNEL: '#general' }],
    ['LOG_LEVEL', { LOG_LEVEL: 'loud' }],
    ['STATE_URL', { STATE_URL: 'http://cache:6379' }],
    ['HTTP_PORT', { HTTP_PORT: '70000' }],
    ['HTTP_PORT', { HTTP_PORT: 'eighty' }],
    ['ADMIN_USERS', { ADMIN_USERS: 'alice' }],
    ['FEEDBACK', { FEEDBACK: 'maybe' }],
    ['FEEDBACK_RETENTION_DAYS', { FEEDBACK_RETENTION_DAYS: '0' }],
    ['FEEDBACK_RETENTION_DAYS', { FEEDBACK_RETENTION_DAYS: '1.5' }],
  ];

  it.each(bad)('a bad %s throws a ConfigError naming it, in one line (%j)', (variable, env) => {
    const err = configError(env);
    expect(err.variable).toBe(variable);
    expect(err.message.startsWith(`${variable}: `)).toBe(true);
    expect(err.message).not.toContain('\n');
  });

  it('never puts a token in an error message', () => {
    const err = configError({ SLACK_BOT_TOKEN: 'xoxb-secret-value' });
    expect(err.variable).toBe('SLACK_APP_TOKEN');
    expect(err.message).not.toContain('xoxb-secret-value');
    const wrongPrefix = configError({ ...tokens, SLACK_APP_TOKEN: 'xoxb-secret-in-the-wrong-place' });
    expect(wrongPrefix.message).not.toContain('secret');
  });
});
