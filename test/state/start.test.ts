/**
 * The bot's start (`src/main.ts`, as an operator runs it) with a state store it cannot open: one line naming the
 * variable to fix, `Cannot start: STATE_URL: …`, and exit code 2, for an unreachable Redis, a malformed STATE_URL
 * and a DATA_DIR that cannot hold the database. Nothing is ever sent off this machine: the Slack API URL points at
 * a closed port on 127.0.0.1, and the store fails before anything talks to Slack.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/redis.js';
import { runToEnd, tsx, type Run } from '../support/run.js';

const dir = mkdtempSync(join(tmpdir(), 'state-start-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Every variable of the contract set here, so a developer's `.env` (dotenv never overrides) cannot leak in. */
async function start(env: Record<string, string>): Promise<Run> {
  const closed = await freePort();
  return runToEnd(tsx, ['src/main.ts'], {
    env: {
      ...process.env,
      NO_COLOR: '1',
      SLACK_BOT_TOKEN: 'xoxb-start-test',
      SLACK_APP_TOKEN: 'xapp-start-test',
      SLACK_API_URL: `http://127.0.0.1:${closed}/api/`,
      TIP_CHANNEL: '',
      TIP_SCHEDULE: '',
      TIP_TIMEZONE: '',
      DATA_DIR: join(dir, 'data'),
      LOG_LEVEL: 'silent',
      STATE_URL: '',
      HTTP_PORT: '',
      ADMIN_USERS: '',
      FEEDBACK: '',
      FEEDBACK_RETENTION_DAYS: '',
      ...env,
    },
    timeoutMs: 40_000,
  });
}

describe('a start with a state store it cannot open', () => {
  it('an unreachable Redis: after the wait, one line naming STATE_URL (no password), exit code 2', { timeout: 45_000 }, async () => {
    const port = await freePort(); // nothing listens there
    const run = await start({ STATE_URL: `redis://:s3cret@127.0.0.1:${port}/0` });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      new RegExp(`^Cannot start: STATE_URL: cannot reach Redis at redis://:\\*\\*\\*@127\\.0\\.0\\.1:${port}/0 within 10 s[^\\n]*\\n$`),
    );
    expect(run.stderr + run.stdout).not.toContain('s3cret');
    expect(run.stdout).toBe('');
  });

  it('a malformed STATE_URL: at once, one line naming STATE_URL, exit code 2', async () => {
    const run = await start({ STATE_URL: 'redis://127.0.0.1:6379/queue' });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^Cannot start: STATE_URL: redis:\/\/127\.0\.0\.1:6379\/queue: "\/queue" is not a database number[^\n]*\n$/);
  });

  it('a DATA_DIR that cannot hold the database (a file is in its place): one line naming DATA_DIR, exit code 2', async () => {
    const file = join(dir, 'a-file');
    writeFileSync(file, 'not a directory');
    const run = await start({ DATA_DIR: file });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^Cannot start: DATA_DIR: cannot open [^\n]*a-file[^\n]*\n$/);
  });
});
