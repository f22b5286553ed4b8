/**
 * "ecs vs eks", "rds or aurora", "difference between cloudwatch and cloudtrail", "compare sqs with sns", "sqs
 * instead of kinesis": a
 * comparison is two entries, when both sides of a joining word name one. "or" and "and" count only when both
 * sides are names, so "store files or images" stays a question.
 */
import type { Searcher } from '../search/index.js';

/** Words that join the two sides of a comparison, strongest first. */
const strongJoins = new Set(['vs', 'versus', 'v']);
const comparisonCues = new Set(['difference', 'differences', 'compare', 'comparing', 'comparison', 'between', 'choose', 'pick']);

/** The ids of the two entries a question compares, or undefined when it is not a comparison. */
export function comparedIds(words: readonly string[], search: Pick<Searcher, 'entryNamedBy'>): [string, string] | undefined {
  let split = words.findIndex((x) => strongJoins.has(x));
  let skip = 1;
  // "sqs instead of kinesis", "sns rather than eventbridge": one named on each side weighs one against the other.
  if (split < 0) {
    split = words.findIndex((x, i) => (x === 'instead' && words[i + 1] === 'of') || (x === 'rather' && words[i + 1] === 'than'));
    if (split >= 0) skip = 2;
  }
  if (split < 0) {
    const cue = words.some((x) => comparisonCues.has(x));
    const joins = cue ? ['or', 'and', 'with', 'to'] : ['or'];
    split = words.findIndex((x, i) => i > 0 && joins.includes(x));
  }
  if (split <= 0 || split >= words.length - skip) return undefined;
  const left = search.entryNamedBy(words.slice(0, split), 'last');
  const right = search.entryNamedBy(words.slice(split + skip), 'first');
  if (!left || !right || left === right) return undefined;
  return [left, right];
}
