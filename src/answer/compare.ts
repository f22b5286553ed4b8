/**
 * "ecs vs eks", "rds or aurora", "difference between cloudwatch and cloudtrail", "compare sqs with sns": a
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
  if (split < 0) {
    const cue = words.some((x) => comparisonCues.has(x));
    const joins = cue ? ['or', 'and', 'with', 'to'] : ['or'];
    split = words.findIndex((x, i) => i > 0 && joins.includes(x));
  }
  if (split <= 0 || split >= words.length - 1) return undefined;
  const left = search.entryNamedBy(words.slice(0, split), 'last');
  const right = search.entryNamedBy(words.slice(split + 1), 'first');
  if (!left || !right || left === right) return undefined;
  return [left, right];
}
