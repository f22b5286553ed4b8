/**
 * A MiniSearch index as JSON that loads back into the very same index (the build stores the search's indexes,
 * src/search/index.ts `SearchIndexData`). MiniSearch's `toJSON` lists the terms as its radix tree iterates them,
 * each node's children last first; loaded in that order, the tree's children come out in the opposite order, and
 * the order in which prefix and fuzzy matches are scored (and ties among results) with them. Listed in the tree's
 * own order instead (the iteration reversed), loading inserts every term where the build had it.
 */
import MiniSearch, { type AsPlainObject, type Options } from 'minisearch';

export function indexToJSON(mini: MiniSearch<any>): AsPlainObject {
  const js = mini.toJSON();
  return { ...js, index: js.index.reverse() };
}

export function indexFromJSON<T>(js: AsPlainObject, options: Options<T>): MiniSearch<T> {
  return MiniSearch.loadJS(js, options);
}
