/**
 * The local console: what `npm start` runs without Slack tokens. Reads lines (`/aws sqs`, `/aws help`, or a
 * free question), prints each reply as readable text, until end of input. The same answer and render as Slack.
 */
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { parseCommand } from '../commands.js';
import type { Core } from '../core.js';
import { blocksToText } from '../render/plain.js';
import type { Message } from '../render/index.js';

/** One line of input → the reply's text, or undefined for a blank line. */
export function consoleReply(core: Core, line: string, pickTip: () => number = () => Math.floor(Math.random() * core.kb.tips.length)): string | undefined {
  const trimmed = line.trim();
  if (!trimmed) return undefined;
  const text = trimmed.replace(/^\/aws\b/i, '');
  const cmd = parseCommand(text);
  let msg: Message;
  switch (cmd.type) {
    case 'tip': {
      const tip = core.kb.tips[pickTip()];
      msg = tip ? core.render.tip(tip, 'Tip') : core.render.help();
      break;
    }
    case 'tips':
    case 'stats':
      return `"/aws ${text.trim()}" works in Slack: it is about channels and people, which the console doesn't have.`;
    case 'ask':
      msg = core.render.answer(core.answer.ask(cmd.query));
      break;
  }
  return blocksToText(msg.blocks);
}

export async function runConsole(core: Core, input: Readable, output: Writable, interactive: boolean): Promise<void> {
  const say = (s: string): void => void output.write(s);
  say(
    `AWS Guide (local console): ${core.kb.entries.length} entries loaded. No Slack tokens are set, so replies print here.\n` +
      'Type /aws sqs, /aws help, or a question such as "how do I decouple microservices?". End with Ctrl-D.\n',
  );
  const rl = createInterface({ input, terminal: false, crlfDelay: Infinity });
  if (interactive) say('> ');
  for await (const line of rl) {
    const reply = consoleReply(core, line);
    if (reply) say(`\n${reply}\n\n`);
    if (interactive) say('> ');
  }
  if (interactive) say('\n');
}
