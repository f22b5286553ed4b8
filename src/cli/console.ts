/**
 * The local console: what `npm start` runs without Slack tokens. Reads lines (`/aws sqs`, `/aws help`, or a
 * free question), prints each reply as readable text, until end of input. The same answer and render as Slack.
 * It is one conversation, as a DM is: a question is read in the context of the last answer's subject ("and the max
 * size?" after `sqs`), for as long as it runs.
 */
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { parseCommand } from '../commands.js';
import type { Core } from '../core.js';
import { blocksToText } from '../render/plain.js';
import type { Message } from '../render/index.js';
import { answerInContext } from '../reply.js';
import { contextOf } from '../slack/conversations.js';

/** What the console remembers of its conversation: the subject of the last answer that had one, and its topic. */
export interface ConsoleConversation {
  subject?: string | undefined;
  topic?: string | undefined;
}

/** One line of input → the reply's text, or undefined for a blank line. `convo` carries the subject from line to line. */
export function consoleReply(
  core: Core,
  line: string,
  pickTip: () => number = () => Math.floor(Math.random() * core.kb.tips.length),
  convo: ConsoleConversation = {},
): string | undefined {
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
    case 'followups':
      return `"/aws ${text.trim()}" works in Slack: it is about channels and people, which the console doesn't have.`;
    case 'ask': {
      const answer = answerInContext(core.answer, cmd.query, { subject: convo.subject, topic: convo.topic });
      const next = contextOf(answer);
      if (next.subject) Object.assign(convo, { subject: next.subject, topic: next.topic });
      msg = core.render.answer(answer);
      break;
    }
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
  const convo: ConsoleConversation = {};
  if (interactive) say('> ');
  for await (const line of rl) {
    const reply = consoleReply(core, line, undefined, convo);
    if (reply) say(`\n${reply}\n\n`);
    if (interactive) say('> ');
  }
  if (interactive) say('\n');
}
