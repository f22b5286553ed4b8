/**
 * Production runs compiled JavaScript: `npm start` on a fresh copy of the project (no dist/) compiles src/ to dist/
 * (and validates the knowledge into dist/knowledge.json) and runs `node dist/main.js`, finding the knowledge folder
 * from there; the compiled app connects to Slack (the fake, on 127.0.0.1), answers, and exits 0 on SIGTERM. When
 * nothing changed, `npm start` does not compile again; when a source changed, it does; when only the knowledge
 * changed, it validates the knowledge again, and the answers say what the edited files say.
 *
 * The copy holds what a clone holds (src/, knowledge/, scripts/, package.json, tsconfig*.json), with this
 * checkout's node_modules linked in (what `npm ci` would install).
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { knowledgeFile, searchIndexFile, stampFile, staleness } from '../../scripts/build.mjs';
import { startFakeSlack, type FakeSlack } from '../support/fake-slack.js';
import { root, runToEnd } from '../support/run.js';

const tmp = mkdtempSync(join(tmpdir(), 'aws-guide-compiled-'));
const clone = join(tmp, 'clone');

/** The environment of a command in the copy: no tokens (the console) unless given, never a developer's .env. */
function env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? tmp,
    NO_COLOR: '1',
    DOTENV_CONFIG_PATH: join(tmp, 'no-such.env'),
    DATA_DIR: join(tmp, `data-${Math.random().toString(36).slice(2)}`),
    ...extra,
  };
}

function npmStart(input: string) {
  return runToEnd('npm', ['start', '--silent', '--prefix', clone], { env: env(), input, timeoutMs: 90_000 });
}

beforeAll(() => {
  mkdirSync(clone);
  for (const p of ['src', 'knowledge', 'scripts', 'package.json', 'tsconfig.json', 'tsconfig.build.json'])
    cpSync(join(root, p), join(clone, p), { recursive: true });
  symlinkSync(join(root, 'node_modules'), join(clone, 'node_modules'), 'dir');
});

afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

describe('npm start on a fresh copy', () => {
  it('compiles src/ to dist/, runs it with node, and answers from the knowledge folder', { timeout: 120_000 }, async () => {
    expect(existsSync(join(clone, 'dist'))).toBe(false);
    const r = await npmStart('/aws sqs\n');
    expect(r.stderr).toContain('compiling src/ to dist/');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('== Amazon SQS ==');
    expect(existsSync(join(clone, 'dist', 'main.js'))).toBe(true);
    expect(existsSync(join(clone, knowledgeFile))).toBe(true); // the knowledge, validated at the build
    expect(existsSync(join(clone, searchIndexFile))).toBe(true); // and indexed
    expect(staleness(clone)).toBeUndefined();

    // Started from the snapshot, the bot loads neither the YAML parser nor zod: only validating the folder needs them.
    const hooks = join(tmp, 'list-modules.mjs');
    writeFileSync(
      hooks,
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the hook's own template literal, written as text
      'export async function resolve(s, c, next) { const r = await next(s, c); process.stderr.write(`LOADED ${r.url}\\n`); return r; }',
    );
    writeFileSync(join(tmp, 'register.mjs'), `import { register } from 'node:module'; register(${JSON.stringify(pathToFileURL(hooks).href)});`);
    const listed = await runToEnd(process.execPath, ['--import', join(tmp, 'register.mjs'), join(clone, 'dist', 'main.js')], {
      env: env(),
      input: '/aws sqs\n',
    });
    expect(listed.stdout).toContain('== Amazon SQS ==');
    const loaded = listed.stderr.split('\n').filter((l) => l.startsWith('LOADED '));
    expect(loaded.some((l) => l.includes('/node_modules/minisearch/'))).toBe(true);
    expect(loaded.filter((l) => /\/node_modules\/(yaml|zod)\//.test(l))).toEqual([]);

    // Nothing changed: no second compile.
    const again = await npmStart('/aws sns\n');
    expect(again.stderr).not.toContain('compiling');
    expect(again.stdout).toContain('== Amazon SNS ==');
  });

  it('an entry edited after the build: the next start validates the folder again (no compile) and answers with the edit', {
    timeout: 120_000,
  }, async () => {
    const sqs = join(clone, 'knowledge', 'services', 'sqs.yaml');
    writeFileSync(sqs, readFileSync(sqs, 'utf8').replace(/^purpose: .*$/m, 'purpose: Queues, as edited after the build'));
    const r = await npmStart('/aws sqs\n');
    expect(r.stderr).toContain('the knowledge folder changed');
    expect(r.stderr).not.toContain('compiling');
    expect(r.stdout).toContain('Queues, as edited after the build');
  });

  it('a source changed after the build: the next start compiles again', { timeout: 120_000 }, async () => {
    const later = (Date.now() + 5000) / 1000;
    utimesSync(join(clone, 'src', 'ids.ts'), later, later);
    expect(staleness(clone)).toBe('src changed since dist/ was built');
    const r = await npmStart('/aws sqs\n');
    expect(r.stderr).toContain('compiling src/ to dist/');
    expect(r.stdout).toContain('== Amazon SQS ==');
  });
});

describe('the compiled app in Slack mode: node dist/main.js', () => {
  let fake: FakeSlack;
  let proc: ChildProcessWithoutNullStreams;
  let out = '';
  let exited: Promise<number | null>;

  beforeAll(async () => {
    if (staleness(clone)) expect((await npmStart('')).code).toBe(0);
    fake = await startFakeSlack();
    proc = spawn(process.execPath, ['dist/main.js'], {
      cwd: clone,
      env: env({ SLACK_BOT_TOKEN: 'xoxb-compiled-test', SLACK_APP_TOKEN: 'xapp-compiled-test', SLACK_API_URL: fake.apiUrl, LOG_LEVEL: 'info' }),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    proc.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    proc.stderr.setEncoding('utf8').on('data', (d: string) => (out += d));
    exited = new Promise((resolve) => proc.on('exit', (code) => resolve(code)));
    await fake.waitFor(() => fake.connections > 0 || proc.exitCode !== null, 30_000, 'the compiled bot to connect');
    if (proc.exitCode !== null) throw new Error(`the compiled bot exited (${proc.exitCode}): ${out}`);
  }, 150_000);

  afterAll(async () => {
    if (proc && proc.exitCode === null && proc.signalCode === null) {
      proc.kill('SIGKILL');
      await exited;
    }
    await fake?.close();
  });

  it('connects, answers /aws sqs, and exits 0 on SIGTERM', { timeout: 30_000 }, async () => {
    const { ack } = await fake.slashCommand({ text: 'sqs' });
    expect(ack.blocks.find((b: { type: string }) => b.type === 'header')?.text.text).toBe('Amazon SQS');
    proc.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(out).toContain('connected to Slack (Socket Mode)');
  });
});

describe('staleness', () => {
  const dir = join(tmp, 'stale');

  it('is missing until built, fresh after, stale when a source, a folder (a file removed) or a tsconfig changes', () => {
    mkdirSync(join(dir, 'src', 'sub'), { recursive: true });
    for (const f of ['src/a.ts', 'src/sub/b.ts', 'tsconfig.json', 'tsconfig.build.json']) writeFileSync(join(dir, f), '');
    const past = (Date.now() - 60_000) / 1000;
    for (const f of ['src/a.ts', 'src/sub/b.ts', 'src/sub', 'src', 'tsconfig.json', 'tsconfig.build.json']) utimesSync(join(dir, f), past, past);
    expect(staleness(dir)).toBe('dist/ has not been built');
    mkdirSync(join(dir, 'dist'));
    writeFileSync(join(dir, stampFile), '');
    expect(staleness(dir)).toBeUndefined();
    const now = Date.now() / 1000 + 1;
    utimesSync(join(dir, 'src', 'sub'), now, now); // a file added or removed there
    expect(staleness(dir)).toBe('src changed since dist/ was built');
    utimesSync(join(dir, 'src', 'sub'), past, past);
    utimesSync(join(dir, 'tsconfig.build.json'), now, now);
    expect(staleness(dir)).toBe('tsconfig.build.json changed since dist/ was built');
  });
});
