/**
 * Whether the bot replies to a message nobody addressed to it: a person's message in a thread the bot answered in,
 * without a mention. People talk in threads ("thanks, merged", "+1 this would be amazing", "any update on this?"),
 * and a reply to that is noise, so three things must hold:
 *
 * 1. the message reads as a question: a question mark, or the way questions and follow-ups start ("what about…",
 *    "and the max size", "how do I…", "does that work with…", "tell me…");
 * 2. the answer is one the bot stands behind (`answersFollowUp`: a confident answer, or a fact about the subject);
 * 3. the answer is about the thread's subject, or about a service the message names ("what about lambda?"), never
 *    one the search merely found in other words ("is there any update about this issue?"); and a service's card
 *    without a fact only when the service's name is most of what the message says: a name that is also an everyday
 *    word is chatter in a sentence about something else ("can you share your config?", "did the backup finish?").
 *
 * The Slack follow-up listener (through the replier) and `npm run eval` on eval/followups.jsonl use this one test.
 */
import { answersFollowUp, type Answer } from './answer/index.js';
import { nameWords } from './knowledge/names.js';

/** First words of a question or a follow-up, when it has no question mark ("and the max size", "what about FIFO"). */
const questionStarts = new Set([
  'what',
  'whats',
  'how',
  'hows',
  'why',
  'when',
  'where',
  'which',
  'who',
  'whose',
  'can',
  'could',
  'cant',
  'does',
  'do',
  'did',
  'doesnt',
  'dont',
  'is',
  'isnt',
  'are',
  'arent',
  'was',
  'were',
  'will',
  'would',
  'wouldnt',
  'should',
  'shall',
  'may',
  'might',
  'has',
  'have',
  'any',
  'and',
  'also',
  'plus',
  'explain',
  'tell',
  'show',
  'list',
  'compare',
  'difference',
  'whatabout',
  'howabout',
  'limit',
  'limits',
  'max',
  'maximum',
  'min',
  'minimum',
  'default',
]);

/**
 * The share of a message's weight a named service's card must match, when no fact leads it: "what about lambda?"
 * and "and kinesis?" match in full; "can you share your config?" (AWS Config) 0.6, "did the backup finish last
 * night?" (AWS Backup) 0.4.
 */
const minNamedCoverage = 0.7;

/** Whether a message reads as a question: a question mark, or the first word of one. */
export function readsAsQuestion(text: string): boolean {
  if (text.includes('?')) return true;
  const [first] = nameWords(text.replace(/[’']/g, ''));
  return first !== undefined && questionStarts.has(first);
}

/**
 * Whether a thread message without a mention gets `answer` as a reply. `named`: the services the message names by
 * one of their names (`Searcher.servicesNamedIn`); `subject`: the thread's.
 */
export function repliesToFollowUp(question: string, answer: Answer, named: readonly string[], subject: string | undefined): boolean {
  if (!readsAsQuestion(question) || !answersFollowUp(answer)) return false;
  if (answer.kind !== 'entry' || answer.fromSubject !== undefined) return true;
  const [{ entry, coverage }] = answer.results;
  if (entry.id === subject) return true;
  if (!named.includes(entry.id)) return false;
  return answer.facts.length > 0 || (coverage ?? 1) >= minNamedCoverage;
}
